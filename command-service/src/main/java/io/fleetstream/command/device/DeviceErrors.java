package io.fleetstream.command.device;

/** Stable codes of the device commands' rejections (the gateway maps them to HTTP statuses). */
public final class DeviceErrors {

    public static final String NOT_FOUND = "device.not-found";
    public static final String DECOMMISSIONED = "device.decommissioned";
    public static final String EXISTS = "device.exists";
    public static final String HARDWARE_ID_TAKEN = "device.hardware-id-taken";
    public static final String INVALID = "device.invalid";

    private DeviceErrors() {
    }
}
