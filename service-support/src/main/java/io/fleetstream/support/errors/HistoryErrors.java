package io.fleetstream.support.errors;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

/** Errors of history reads and of the state of an aggregate at an earlier instant. */
public final class HistoryErrors {

    public static final ErrorCode BAD_INSTANT = ErrorCode.of("history.instant-invalid", HttpStatus.BAD_REQUEST,
            "Not an instant",
            "Send 'at' as an ISO-8601 instant in UTC between 1970 and 9999, such as 2026-01-31T12:00:00Z.");

    public static final ErrorCode STATE_UNRECORDED = ErrorCode.of("history.state-unrecorded", HttpStatus.CONFLICT,
            "The state at that instant was not recorded",
            "The events of that time were projected before states were kept; an operator fills them in with "
                    + "./fleet rebuild <projection>. The history (…/history) has every event meanwhile.");

    private HistoryErrors() {
    }
}
