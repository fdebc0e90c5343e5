package io.fleetstream.support.errors;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

/** Errors of devices: their registry, their settings and their own credentials. */
public final class DeviceErrors {

    public static final ErrorCode NOT_FOUND = ErrorCode.of("device.not-found", HttpStatus.NOT_FOUND,
            "No such device",
            "Check the device id; devices of other workspaces are not visible to you.");

    public static final ErrorCode EXISTS = ErrorCode.of("device.exists", HttpStatus.CONFLICT,
            "The device already exists",
            "Register it under a new id.");

    public static final ErrorCode DECOMMISSIONED = ErrorCode.of("device.decommissioned", HttpStatus.NOT_FOUND,
            "The device was decommissioned",
            "A decommissioned device cannot change; its history stays readable at .../devices/{id}/history. "
                    + "Register a new device to replace it.");

    public static final ErrorCode HARDWARE_ID_TAKEN = ErrorCode.of("device.hardware-id-taken", HttpStatus.CONFLICT,
            "The hardware id belongs to another device of this workspace",
            "Decommission the other device first, or correct the hardwareId.");

    public static final ErrorCode INVALID = ErrorCode.of("device.invalid", HttpStatus.BAD_REQUEST,
            "The device data is not valid",
            "Fix what 'detail' names and send it again.");

    public static final ErrorCode INVALID_SETTINGS = ErrorCode.of("device.settings-invalid", HttpStatus.BAD_REQUEST,
            "Settings must be a JSON object",
            "Send settings as a JSON object of at most 64 KiB and 32 levels, e.g. {\"interval\": 5}.");

    public static final ErrorCode BAD_QUERY = ErrorCode.of("device.query-invalid", HttpStatus.BAD_REQUEST,
            "Invalid query parameter",
            "See the parameters of this operation in /v1/openapi.json.");

    public static final ErrorCode UNAUTHENTICATED = ErrorCode.of("device.unauthenticated", HttpStatus.UNAUTHORIZED,
            "Device not authenticated",
            "Send the token the device was registered with in the X-Device-Token header.");

    private DeviceErrors() {
    }
}
