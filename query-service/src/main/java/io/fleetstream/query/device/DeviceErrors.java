package io.fleetstream.query.device;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

/** Errors of the device reads. */
public enum DeviceErrors implements ErrorCode {
    NOT_FOUND("device.not-found", HttpStatus.NOT_FOUND, "No such device",
            "Check the device id; devices of other workspaces are not visible to your token."),
    DECOMMISSIONED("device.decommissioned", HttpStatus.NOT_FOUND, "The device was decommissioned",
            "Its history stays available at /v1/devices/{id}/history."),
    BAD_QUERY("device.query-invalid", HttpStatus.BAD_REQUEST, "Invalid query parameter",
            "See the parameters of this operation in /v1/openapi.json.");

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
