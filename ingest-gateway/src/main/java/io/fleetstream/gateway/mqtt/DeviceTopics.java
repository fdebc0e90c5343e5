package io.fleetstream.gateway.mqtt;

import io.fleetstream.schemas.DeviceTopic;
import java.util.Optional;

/**
 * The station firmware's topic scheme ({@link DeviceTopic}): {@code station/{stationId}/device/{deviceId}/{kind}}.
 * A device may publish and subscribe only under its own device id.
 */
final class DeviceTopics {

    private DeviceTopics() {
    }

    static Optional<DeviceTopic.Parsed> parse(String topic) {
        return DeviceTopic.parse(topic);
    }

    /** Whether a topic or topic filter lies under the device's own prefix (wildcards only after it). */
    static boolean owns(String deviceId, String topicOrFilter) {
        return parse(topicOrFilter).map(t -> t.deviceId().equals(deviceId)).orElse(false);
    }
}
