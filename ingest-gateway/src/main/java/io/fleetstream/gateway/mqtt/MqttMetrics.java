package io.fleetstream.gateway.mqtt;

import com.codahale.metrics.MetricRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the MQTT listener counts: connection attempts and publishes by outcome, and the connections open
 * now (read from the broker's own registry). Tags take only values of ours, never a client's text.
 */
final class MqttMetrics {

    private final MeterRegistry registry;

    MqttMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param outcome accepted, bad-credentials, client-id-invalid, unavailable */
    void connect(String outcome) {
        registry.counter("fleet.mqtt.connects", "outcome", outcome).increment();
    }

    /**
     * @param kind    telemetry, heartbeat or other
     * @param outcome stored, invalid, unsupported, failed, not-authorized, sent (QoS 0, not awaited)
     */
    void publish(String kind, String outcome) {
        registry.counter("fleet.mqtt.publishes", "kind", kind, "outcome", outcome).increment();
    }

    void watchConnections(MetricRegistry broker) {
        Gauge.builder("fleet.mqtt.connections", broker, r -> {
            com.codahale.metrics.Gauge<?> current = r.getGauges().get("com.hivemq.networking.connections.current");
            return current != null && current.getValue() instanceof Number n ? n.doubleValue() : 0;
        }).description("MQTT connections open now").register(registry);
    }

    static String kindTag(String kind) {
        return switch (kind) {
            case "telemetry", "heartbeat" -> kind;
            default -> "other";
        };
    }
}
