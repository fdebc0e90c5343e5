package io.fleetstream.gateway.device;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

/** Errors of device writes detected at the edge. */
final class DeviceErrors {

    static final ErrorCode NOT_FOUND = ErrorCode.of("device.not-found", HttpStatus.NOT_FOUND,
            "No such device",
            "Check the device id; devices of other workspaces are not visible to your token.");

    static final ErrorCode INVALID_SETTINGS = ErrorCode.of("device.settings-invalid", HttpStatus.BAD_REQUEST,
            "Settings must be a JSON object",
            "Send settings as a JSON object of at most 64 KiB and 32 levels, e.g. {\"interval\": 5}.");

    private DeviceErrors() {
    }
}
