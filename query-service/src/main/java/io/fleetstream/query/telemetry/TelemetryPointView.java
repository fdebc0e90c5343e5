package io.fleetstream.query.telemetry;

import java.time.Instant;

public record TelemetryPointView(String metric, Instant ts, double value) {
}
