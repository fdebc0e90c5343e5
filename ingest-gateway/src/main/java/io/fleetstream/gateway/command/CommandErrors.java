package io.fleetstream.gateway.command;

import io.fleetstream.support.web.ErrorCode;
import java.util.List;
import org.springframework.http.HttpStatus;

/** How the command service's rejection codes are answered over HTTP. */
public final class CommandErrors {

    public static final ErrorCode DEVICE_NOT_FOUND = ErrorCode.of("device.not-found", HttpStatus.NOT_FOUND,
            "No such device",
            "Check the device id; devices of other workspaces are not visible to your token.");

    public static final ErrorCode DEVICE_DECOMMISSIONED = ErrorCode.of("device.decommissioned", HttpStatus.NOT_FOUND,
            "The device was decommissioned",
            "A decommissioned device cannot change; register a new one.");

    public static final ErrorCode DEVICE_EXISTS = ErrorCode.of("device.exists", HttpStatus.CONFLICT,
            "The device already exists",
            "Register it under a new id.");

    public static final ErrorCode HARDWARE_ID_TAKEN = ErrorCode.of("device.hardware-id-taken", HttpStatus.CONFLICT,
            "The hardware id belongs to another device of this workspace",
            "Decommission the other device first, or correct the hardwareId.");

    public static final ErrorCode DEVICE_INVALID = ErrorCode.of("device.invalid", HttpStatus.BAD_REQUEST,
            "The device data is not valid",
            "Fix what 'detail' names and send it again.");

    public static final ErrorCode MALFORMED = ErrorCode.of("command.malformed", HttpStatus.BAD_REQUEST,
            "The command could not be read",
            "Fix what 'detail' names and send it again.");

    public static final ErrorCode INVALID = ErrorCode.of("command.invalid", HttpStatus.BAD_REQUEST,
            "The command breaks its contract's rules",
            "Fix the field 'detail' names (texts must be single lines of bounded length) and send it again.");

    public static final ErrorCode UNPROCESSABLE = ErrorCode.of("command.unprocessable", HttpStatus.UNPROCESSABLE_CONTENT,
            "The command cannot be stored",
            "Nothing was applied. Change what the command carries; if it looks valid, report it with its commandId.");

    public static final ErrorCode REJECTED = ErrorCode.of("command.rejected", HttpStatus.UNPROCESSABLE_CONTENT,
            "The command was rejected",
            "See 'detail' for the reason.");

    public static final ErrorCode TIMEOUT = ErrorCode.of("command.timeout", HttpStatus.GATEWAY_TIMEOUT,
            "No answer in time",
            "The command may still be applied: read the resource before retrying.");

    public static final ErrorCode UNAVAILABLE = ErrorCode.of("command.unavailable", HttpStatus.SERVICE_UNAVAILABLE,
            "Commands cannot be accepted now",
            "Retry after a moment; the command was not sent.");

    private static final List<ErrorCode> REJECTIONS = List.of(DEVICE_NOT_FOUND, DEVICE_DECOMMISSIONED, DEVICE_EXISTS,
            HARDWARE_ID_TAKEN, DEVICE_INVALID, MALFORMED, INVALID, UNPROCESSABLE, REJECTED);

    /** The catalog entry for a rejection code of the command service. */
    public static ErrorCode forRejection(String code) {
        return REJECTIONS.stream().filter(e -> e.code().equals(code)).findFirst().orElse(REJECTED);
    }

    private CommandErrors() {
    }
}
