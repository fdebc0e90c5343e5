package io.fleetstream.gateway.command;

import io.fleetstream.support.web.ErrorCode;
import java.util.Arrays;
import org.springframework.http.HttpStatus;

/** How the command service's rejection codes are answered over HTTP. */
public enum CommandErrors implements ErrorCode {
    DEVICE_NOT_FOUND("device.not-found", HttpStatus.NOT_FOUND, "No such device",
            "Check the device id; devices of other workspaces are not visible to your token."),
    DEVICE_DECOMMISSIONED("device.decommissioned", HttpStatus.NOT_FOUND, "The device was decommissioned",
            "A decommissioned device cannot change; register a new one."),
    DEVICE_EXISTS("device.exists", HttpStatus.CONFLICT, "The device already exists", "Register it under a new id."),
    HARDWARE_ID_TAKEN("device.hardware-id-taken", HttpStatus.CONFLICT,
            "The hardware id belongs to another device of this workspace",
            "Decommission the other device first, or correct the hardwareId."),
    DEVICE_INVALID("device.invalid", HttpStatus.BAD_REQUEST, "The device data is not valid",
            "Fix what 'detail' names and send it again."),
    MALFORMED("command.malformed", HttpStatus.BAD_REQUEST, "The command could not be read",
            "Fix what 'detail' names and send it again."),
    REJECTED("command.rejected", HttpStatus.UNPROCESSABLE_CONTENT, "The command was rejected",
            "See 'detail' for the reason."),
    TIMEOUT("command.timeout", HttpStatus.GATEWAY_TIMEOUT, "No answer in time",
            "The command may still be applied: read the resource before retrying."),
    UNAVAILABLE("command.unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Commands cannot be accepted now",
            "Retry after a moment; the command was not sent.");

    private final String code;
    private final HttpStatus status;
    private final String title;
    private final String remedy;

    CommandErrors(String code, HttpStatus status, String title, String remedy) {
        this.code = code;
        this.status = status;
        this.title = title;
        this.remedy = remedy;
    }

    /** The catalog entry for a rejection code of the command service. */
    public static CommandErrors forRejection(String code) {
        return Arrays.stream(values()).filter(e -> e.code.equals(code)).findFirst().orElse(REJECTED);
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public HttpStatus status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String remedy() {
        return remedy;
    }
}
