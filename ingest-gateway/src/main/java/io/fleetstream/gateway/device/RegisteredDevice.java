package io.fleetstream.gateway.device;

import tools.jackson.databind.JsonNode;

/** The answer to a registration: the only time the device token is ever shown. */
public record RegisteredDevice(String id, String name, String type, String hardwareId, JsonNode settings,
        String status, long version, String deviceToken) {
}
