package io.fleetstream.gateway.device;

import io.fleetstream.gateway.kafka.TopicTail;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.event.EventEnvelope;
import io.fleetstream.support.kafka.FleetKafkaProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Devices decommissioned lately, learnt from {@code fleet.events} the moment the event is published: their
 * open connections are cut, and their tokens refused even before the read model (which covers every
 * earlier decommissioning) has caught up. A gateway that starts reads the last day of events first, so a
 * restart forgets nothing the read model may not show yet; entries are kept for a day, far beyond any lag
 * of a working projector (and 48 times the longest a token check may be remembered).
 */
@Component
public class DeviceRevocations implements SmartLifecycle {

    static final Duration KEEP = Duration.ofHours(24);

    private final FleetKafkaProperties kafka;
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private TopicTail tail;

    DeviceRevocations(FleetKafkaProperties kafka) {
        this.kafka = kafka;
    }

    public boolean isRevoked(String deviceId) {
        return revoked.containsKey(deviceId);
    }

    /** Called with the device id of every device decommissioned from now on. */
    public void onRevoked(Consumer<String> listener) {
        listeners.add(listener);
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        EventEnvelope event = Topics.EVENTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
        if (event == null || !"device".equals(event.getAggregateType()) || !"DeviceDecommissioned".equals(event.getType())) {
            return;
        }
        revoke(event.getAggregateId(), Instant.ofEpochMilli(record.timestamp()));
    }

    /**
     * Revokes a device this gateway has just seen decommissioned (its command was accepted), before the event
     * reaches {@code fleet.events}: its token stops working here from the moment the write is answered.
     */
    public void revokeNow(String deviceId) {
        revoke(deviceId, Instant.now());
    }

    private void revoke(String deviceId, Instant at) {
        Instant since = Instant.now().minus(KEEP);
        revoked.values().removeIf(when -> when.isBefore(since));
        if (revoked.putIfAbsent(deviceId, at) == null) {
            listeners.forEach(listener -> listener.accept(deviceId));
        }
    }

    @Override
    public void start() {
        tail = new TopicTail(kafka.bootstrap(), Topics.EVENTS.name(), KEEP, this::handle);
        tail.start();
    }

    @Override
    public void stop() {
        tail.close();
    }

    @Override
    public boolean isRunning() {
        return tail != null && tail.isRunning();
    }

    /** Running before devices can connect, and until they no longer can. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
