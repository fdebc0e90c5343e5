package io.fleetstream.support.errors;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

/** Errors of read-your-writes waits ({@code Fleet-Consistency}). */
public final class ConsistencyErrors {

    public static final ErrorCode INVALID = ErrorCode.of("consistency.invalid", HttpStatus.BAD_REQUEST,
            "Unreadable Fleet-Consistency header",
            "Send back exactly the Fleet-Consistency value a write answered with, or omit the header.");

    public static final ErrorCode TIMEOUT = ErrorCode.of("consistency.timeout", HttpStatus.SERVICE_UNAVAILABLE,
            "The read model has not caught up yet",
            "Retry in a moment with the same header.");

    public static final ErrorCode PARKED = ErrorCode.of("consistency.parked", HttpStatus.SERVICE_UNAVAILABLE,
            "The read model cannot apply this change",
            "The change was accepted and stored, but the read model parked it; an operator sees it with "
                    + "./fleet projections and retries it once the cause is fixed. Waiting does not help.");

    private ConsistencyErrors() {
    }
}
