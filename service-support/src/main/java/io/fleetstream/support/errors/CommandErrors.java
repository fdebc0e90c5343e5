package io.fleetstream.support.errors;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

/** The command path's own errors: commands that cannot be read, stored, sent or answered. */
public final class CommandErrors {

    public static final ErrorCode MALFORMED = ErrorCode.of("command.malformed", HttpStatus.BAD_REQUEST,
            "The command could not be read",
            "Fix what 'detail' names and send it again.");

    public static final ErrorCode INVALID = ErrorCode.of("command.invalid", HttpStatus.BAD_REQUEST,
            "The command breaks its contract's rules",
            "Fix the field 'detail' names (texts must be single lines of bounded length) and send it again.");

    public static final ErrorCode UNPROCESSABLE = ErrorCode.of("command.unprocessable", HttpStatus.UNPROCESSABLE_CONTENT,
            "The command cannot be stored",
            "Nothing was applied. Change what the command carries; if it looks valid, report it with its commandId.");

    public static final ErrorCode TIMEOUT = ErrorCode.of("command.timeout", HttpStatus.GATEWAY_TIMEOUT,
            "No answer in time",
            "The command may still be applied: read the resource before retrying.");

    public static final ErrorCode UNAVAILABLE = ErrorCode.of("command.unavailable", HttpStatus.SERVICE_UNAVAILABLE,
            "Commands cannot be accepted now",
            "Retry after a moment; the command was not sent.");

    private CommandErrors() {
    }
}
