package io.fleetstream.query.device;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

/** Errors of the device reads. */
public final class DeviceErrors {

    public static final ErrorCode NOT_FOUND = ErrorCode.of("device.not-found", HttpStatus.NOT_FOUND,
            "No such device",
            "Check the device id; devices of other workspaces are not visible to your token.");

    public static final ErrorCode DECOMMISSIONED = ErrorCode.of("device.decommissioned", HttpStatus.NOT_FOUND,
            "The device was decommissioned",
            "Its history stays available at /v1/devices/{id}/history.");

    public static final ErrorCode BAD_QUERY = ErrorCode.of("device.query-invalid", HttpStatus.BAD_REQUEST,
            "Invalid query parameter",
            "See the parameters of this operation in /v1/openapi.json.");

    private DeviceErrors() {
    }
}
