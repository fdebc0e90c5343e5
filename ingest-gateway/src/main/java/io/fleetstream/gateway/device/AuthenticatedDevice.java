package io.fleetstream.gateway.device;

/** A device that proved its token. */
public record AuthenticatedDevice(String deviceId, String workspaceId) {
}
