package io.fleetstream.support.errors;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

/** Errors of telemetry sent over HTTP and of its queries. */
public final class TelemetryErrors {

    public static final ErrorCode TOO_LARGE = ErrorCode.of("telemetry.too-large", HttpStatus.CONTENT_TOO_LARGE,
            "Telemetry message too large",
            "Send at most 64 KiB per message; split larger batches.");

    public static final ErrorCode MALFORMED = ErrorCode.of("telemetry.malformed", HttpStatus.BAD_REQUEST,
            "Not valid telemetry",
            "Send {\"ts\": <epoch ms, optional>, \"metrics\": {\"<name>\": <number>}}.");

    private TelemetryErrors() {
    }
}
