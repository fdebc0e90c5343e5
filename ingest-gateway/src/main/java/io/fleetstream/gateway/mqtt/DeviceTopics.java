package io.fleetstream.gateway.mqtt;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The station firmware's topic scheme: {@code station/{stationId}/device/{deviceId}/{kind}}. A device
 * may publish and subscribe only under its own device id.
 */
final class DeviceTopics {

    private static final String SEGMENT = "[A-Za-z0-9_.:-]{1,64}";
    /** A device may subscribe across stations ({@code station/+/device/{id}/…}); publishes never carry wildcards. */
    private static final Pattern TOPIC = Pattern.compile("station/(" + SEGMENT + "|\\+)/device/(" + SEGMENT + ")/(.+)");

    private DeviceTopics() {
    }

    record DeviceTopic(String stationId, String deviceId, String kind) {
    }

    static Optional<DeviceTopic> parse(String topic) {
        Matcher matcher = TOPIC.matcher(topic);
        return matcher.matches()
                ? Optional.of(new DeviceTopic(matcher.group(1), matcher.group(2), matcher.group(3)))
                : Optional.empty();
    }

    /** Whether a topic or topic filter lies under the device's own prefix (wildcards only after it). */
    static boolean owns(String deviceId, String topicOrFilter) {
        return parse(topicOrFilter).map(t -> t.deviceId().equals(deviceId)).orElse(false);
    }
}
