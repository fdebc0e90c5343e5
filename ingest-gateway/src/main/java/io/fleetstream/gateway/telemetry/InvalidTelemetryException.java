package io.fleetstream.gateway.telemetry;

/** A device message that is not valid telemetry; the message says why, for the dead-letter record and the device. */
public class InvalidTelemetryException extends RuntimeException {

    public InvalidTelemetryException(String message) {
        super(message);
    }
}
