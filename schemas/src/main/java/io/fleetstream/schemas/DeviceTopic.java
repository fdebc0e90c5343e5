package io.fleetstream.schemas;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MQTT topics a device publishes on, as the station firmware uses them:
 * {@code station/{stationId}/device/{deviceId}/{kind}}. A contract with device makers like the Kafka
 * topics are with stream consumers; the gateway decides by this table what each publish is, and the
 * generated-input tests send bad input to every kind listed here.
 */
public enum DeviceTopic {

    /** Metric points: {@code {"ts": <epoch ms, optional>, "metrics": {"<name>": <number>, …}}}. */
    TELEMETRY("telemetry", true),
    /** Proof of life: empty, or a JSON object. */
    HEARTBEAT("heartbeat", true),
    /** The firmware's greeting when it connects; not handled yet: dead-lettered with its reason. */
    HANDSHAKE("handshake", false),
    /** Reported state; not handled yet: dead-lettered with its reason. */
    STATE("state", false),
    /** A device event; not handled yet: dead-lettered with its reason. */
    EVENT("event", false);

    /** Station and device ids as they may appear in a topic. */
    public static final String SEGMENT = "[A-Za-z0-9_.:-]{1,64}";
    /** A device may subscribe across stations ({@code station/+/device/{id}/…}); publishes never carry wildcards. */
    private static final Pattern TOPIC = Pattern.compile("station/(" + SEGMENT + "|\\+)/device/(" + SEGMENT + ")/(.+)");

    private final String kind;
    private final boolean handled;

    DeviceTopic(String kind, boolean handled) {
        this.kind = kind;
        this.handled = handled;
    }

    /** The last topic level. */
    public String kind() {
        return kind;
    }

    /** Whether the platform acts on it today (the others leave a dead letter, never nothing). */
    public boolean handled() {
        return handled;
    }

    public String topic(String stationId, String deviceId) {
        return "station/" + stationId + "/device/" + deviceId + "/" + kind;
    }

    public static Optional<DeviceTopic> ofKind(String kind) {
        for (DeviceTopic topic : values()) {
            if (topic.kind.equals(kind)) {
                return Optional.of(topic);
            }
        }
        return Optional.empty();
    }

    /** A topic or topic filter taken apart; the kind is whatever follows the device id. */
    public record Parsed(String stationId, String deviceId, String kind) {
    }

    public static Optional<Parsed> parse(String topic) {
        Matcher matcher = TOPIC.matcher(topic);
        return matcher.matches()
                ? Optional.of(new Parsed(matcher.group(1), matcher.group(2), matcher.group(3)))
                : Optional.empty();
    }
}
