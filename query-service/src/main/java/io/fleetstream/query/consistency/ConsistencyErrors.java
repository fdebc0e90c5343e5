package io.fleetstream.query.consistency;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

/** Errors of read-your-writes waits. */
final class ConsistencyErrors {

    static final ErrorCode INVALID = ErrorCode.of("consistency.invalid", HttpStatus.BAD_REQUEST,
            "Unreadable Fleet-Consistency header",
            "Send back exactly the Fleet-Consistency value a write answered with, or omit the header.");

    static final ErrorCode TIMEOUT = ErrorCode.of("consistency.timeout", HttpStatus.SERVICE_UNAVAILABLE,
            "The read model has not caught up yet",
            "Retry in a moment with the same header.");

    private ConsistencyErrors() {
    }
}
