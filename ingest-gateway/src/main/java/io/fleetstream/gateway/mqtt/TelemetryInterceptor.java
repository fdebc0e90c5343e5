package io.fleetstream.gateway.mqtt;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import io.fleetstream.gateway.device.AuthenticatedDevice;
import io.fleetstream.gateway.telemetry.InvalidTelemetryException;
import io.fleetstream.gateway.telemetry.TelemetryIntake;
import io.fleetstream.schemas.DeviceTopic;
import io.fleetstream.schemas.Text;
import io.fleetstream.schemas.telemetry.TelemetrySource;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards {@code …/telemetry} and {@code …/heartbeat} publishes to Kafka and acknowledges QoS 1/2
 * publishes only when Kafka has them; QoS 0 is forwarded without waiting. Interceptors run before the authorizer, so foreign topics are left
 * for the authorizer to refuse. Invalid telemetry is dead-lettered; MQTT 5 clients also get
 * PAYLOAD_FORMAT_INVALID (MQTT 3 has no way to say so without disconnecting, so they are acknowledged).
 */
final class TelemetryInterceptor implements PublishInboundInterceptor {

    private static final Logger log = LoggerFactory.getLogger(TelemetryInterceptor.class);

    private final TelemetryIntake intake;
    private final MqttMetrics metrics;

    TelemetryInterceptor(TelemetryIntake intake, MqttMetrics metrics) {
        this.intake = intake;
        this.metrics = metrics;
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        Optional<AuthenticatedDevice> session = DeviceSessions.of(input.getConnectionInformation());
        String topic = input.getPublishPacket().getTopic();
        Optional<DeviceTopic.Parsed> parsed = DeviceTopics.parse(topic);
        if (session.isEmpty() || parsed.isEmpty() || !parsed.get().deviceId().equals(session.get().deviceId())) {
            return;
        }
        Optional<DeviceTopic> known = DeviceTopic.ofKind(parsed.get().kind());
        TelemetryIntake.Kind kind = known.map(t -> switch (t) {
            case TELEMETRY -> TelemetryIntake.Kind.TELEMETRY;
            case HEARTBEAT -> TelemetryIntake.Kind.HEARTBEAT;
            default -> null;
        }).orElse(null);
        byte[] payload = input.getPublishPacket().getPayload().map(TelemetryInterceptor::bytes).orElse(new byte[0]);
        boolean mqtt5 = input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5;
        if (kind == null) {
            // nothing a device sends is dropped without a trace: a kind this gateway does not handle is dead-lettered
            String reason = known.isPresent() ? "'" + known.get().kind() + "' messages are not handled yet"
                    : "no such message kind: '" + Text.printable(parsed.get().kind(), 64) + "'";
            intake.refuse(session.get(), "mqtt:" + topic, "mqtt.kind-unsupported", reason, payload);
            metrics.publish("other", "unsupported");
            refuse(output, mqtt5, AckReasonCode.TOPIC_NAME_INVALID, reason);
            return;
        }
        CompletableFuture<Void> stored;
        try {
            // parsed before anything waits: an invalid message is answered at once, not after a time-out
            stored = intake.accept(session.get(), parsed.get().stationId(), TelemetrySource.MQTT, kind, "mqtt:" + topic,
                    payload);
        } catch (InvalidTelemetryException e) {
            metrics.publish(MqttMetrics.kindTag(parsed.get().kind()), "invalid");
            refuse(output, mqtt5, AckReasonCode.PAYLOAD_FORMAT_INVALID, e.getMessage());
            return;
        }
        String kindTag = MqttMetrics.kindTag(parsed.get().kind());
        if (input.getPublishPacket().getQos() == Qos.AT_MOST_ONCE) {
            // QoS 0 promises at most once and has no acknowledgement to hold back: forward without waiting.
            stored.whenComplete((done, error) -> {
                metrics.publish(kindTag, error == null ? "stored" : "failed");
                if (error != null) {
                    log.warn("QoS 0 telemetry of device {} not stored: {}", session.get().deviceId(), error.getMessage());
                }
            });
            return;
        }
        Async<PublishInboundOutput> async = output.async(Duration.ofSeconds(30), TimeoutFallback.FAILURE,
                AckReasonCode.UNSPECIFIED_ERROR, "telemetry not stored in time");
        stored.whenComplete((done, error) -> {
            metrics.publish(kindTag, error == null ? "stored" : "failed");
            if (error != null) {
                output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR, "telemetry not stored");
            }
            async.resume();
        });
    }

    /**
     * MQTT 5 clients learn why in the reason string, which must be valid UTF-8 without control characters (a
     * client drops the connection on a malformed packet); MQTT 3 has no way to say it without disconnecting.
     */
    private static void refuse(PublishInboundOutput output, boolean mqtt5, AckReasonCode code, String reason) {
        if (mqtt5) {
            output.preventPublishDelivery(code, Text.printable(reason, 200));
        } else {
            output.preventPublishDelivery();
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
