package io.fleetstream.gateway.device;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

enum DeviceErrors implements ErrorCode {
    NOT_FOUND("device.not-found", HttpStatus.NOT_FOUND, "No such device",
            "Check the device id; devices of other workspaces are not visible to your token."),
    INVALID_SETTINGS("device.settings-invalid", HttpStatus.BAD_REQUEST, "Settings must be a JSON object",
            "Send settings as a JSON object of at most 64 KiB, e.g. {\"interval\": 5}.");

    private final String code;
    private final HttpStatus status;
    private final String title;
    private final String remedy;

    DeviceErrors(String code, HttpStatus status, String title, String remedy) {
        this.code = code;
        this.status = status;
        this.title = title;
        this.remedy = remedy;
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
