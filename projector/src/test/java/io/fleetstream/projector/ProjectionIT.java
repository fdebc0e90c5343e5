package io.fleetstream.projector;

import static io.fleetstream.schemas.readmodel.Tables.CONSUMER_POSITION;
import static io.fleetstream.schemas.readmodel.Tables.DEVICE;
import static io.fleetstream.schemas.readmodel.Tables.DEVICE_ACTIVITY;
import static io.fleetstream.schemas.readmodel.Tables.DEVICE_HISTORY;
import static io.fleetstream.schemas.readmodel.Tables.LATEST_METRIC;
import static io.fleetstream.schemas.readmodel.Tables.TELEMETRY_POINT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleetstream.infra.SharedInfrastructure;
import io.fleetstream.projector.projection.Rebuilds;
import io.fleetstream.infra.testing.TopicWatcher;
import io.fleetstream.schemas.Payloads;
import io.fleetstream.schemas.Topic;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.command.Actor;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.schemas.deadletter.DeadLetter;
import io.fleetstream.schemas.device.DeviceDecommissioned;
import io.fleetstream.schemas.device.DeviceRegistered;
import io.fleetstream.schemas.device.DeviceSettingsUpdated;
import io.fleetstream.schemas.event.EventEnvelope;
import io.fleetstream.schemas.telemetry.TelemetryBatch;
import io.fleetstream.schemas.telemetry.TelemetryPoint;
import io.fleetstream.schemas.telemetry.TelemetrySource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The projector against the real Kafka, PostgreSQL and Redis: applied once, whatever is redelivered. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ProjectionIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static KafkaProducer<String, byte[]> producer;

    @Autowired
    DSLContext db;
    @Autowired
    RedissonClient redis;
    @Autowired
    io.fleetstream.projector.device.DeviceEventsConsumerAccess devices;
    @Autowired
    Rebuilds rebuilds;
    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedInfrastructure.get().springProperties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @BeforeAll
    static void clients() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.get().kafka().bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    private static <V> RecordMetadata publish(Topic<String, V> topic, String key, V value) throws Exception {
        return producer.send(new ProducerRecord<>(topic.name(), key,
                topic.valueSerde().serializer().serialize(topic.name(), value))).get();
    }

    private void awaitConsumed(String consumer, RecordMetadata last) {
        await().atMost(WAIT).until(() -> db.select(CONSUMER_POSITION.NEXT_OFFSET).from(CONSUMER_POSITION)
                .where(CONSUMER_POSITION.CONSUMER.eq(consumer), CONSUMER_POSITION.TOPIC.eq(last.topic()),
                        CONSUMER_POSITION.PARTITION.eq(last.partition()))
                .fetchOptional(CONSUMER_POSITION.NEXT_OFFSET).map(next -> next > last.offset()).orElse(false));
    }

    private static EventEnvelope event(String deviceId, long sequence, SpecificRecord payload, Instant at) {
        return EventEnvelope.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAggregateType("device")
                .setAggregateId(deviceId)
                .setSequence(sequence)
                .setWorkspaceId("acme")
                .setOccurredAt(at)
                .setType(Payloads.typeOf(payload))
                .setCommandId(UUID.randomUUID().toString())
                .setActor(Actor.newBuilder().setKind(ActorKind.USER).setId("alice").build())
                .setPayload(ByteBuffer.wrap(Payloads.encode(payload)))
                .build();
    }

    private List<EventEnvelope> lifecycle(String id) {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return List.of(
                event(id, 0, DeviceRegistered.newBuilder().setDeviceId(id).setName("boiler").setDeviceType("esp32")
                        .setHardwareId(null).setSettingsJson("{\"interval\":5}").setTokenHash(uniqueHash()).build(), t0),
                event(id, 1, DeviceSettingsUpdated.newBuilder().setDeviceId(id).setSettingsJson("{\"interval\":9}")
                        .setPatchJson("{\"interval\":9}").build(), t0.plusSeconds(1)),
                event(id, 2, DeviceDecommissioned.newBuilder().setDeviceId(id).setReason("old").build(), t0.plusSeconds(2)));
    }

    private static String uniqueHash() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }

    private Result<Record> deviceRows(UUID id) {
        return db.select().from(DEVICE).where(DEVICE.DEVICE_ID.eq(id)).fetch();
    }

    private Result<Record> historyRows(UUID id) {
        return db.select().from(DEVICE_HISTORY).where(DEVICE_HISTORY.DEVICE_ID.eq(id))
                .orderBy(DEVICE_HISTORY.SEQUENCE).fetch();
    }

    @Test
    void deviceEvents_buildTheReadModelAndHistory_andRedeliveryChangesNothing() throws Exception {
        String id = UUID.randomUUID().toString();
        UUID uuid = UUID.fromString(id);
        List<EventEnvelope> events = lifecycle(id);
        RecordMetadata last = null;
        for (EventEnvelope e : events.subList(0, 2)) {
            last = publish(Topics.EVENTS, id, e);
        }
        awaitConsumed("projector-devices", last);

        Record device = deviceRows(uuid).get(0);
        assertThat(device.get(DEVICE.VERSION)).isEqualTo(1L);
        assertThat(device.get(DEVICE.STATUS)).isEqualTo("ACTIVE");
        assertThat(device.get(DEVICE.SETTINGS).data()).isEqualTo("{\"interval\": 9}");
        assertThat(historyRows(uuid)).hasSize(2);
        assertThat(historyRows(uuid).get(0).get(DEVICE_HISTORY.DATA).data()).doesNotContain("tokenHash");

        Result<Record> deviceBefore = deviceRows(uuid);
        Result<Record> historyBefore = historyRows(uuid);
        for (EventEnvelope e : events.subList(0, 2)) {
            last = publish(Topics.EVENTS, id, e); // the same events again, as new records
        }
        awaitConsumed("projector-devices", last);
        assertThat(deviceRows(uuid)).isEqualTo(deviceBefore);
        assertThat(historyRows(uuid)).isEqualTo(historyBefore);

        last = publish(Topics.EVENTS, id, events.get(2));
        awaitConsumed("projector-devices", last);
        assertThat(deviceRows(uuid).get(0).get(DEVICE.STATUS)).isEqualTo("DECOMMISSIONED");
        assertThat(historyRows(uuid)).extracting(r -> r.get(DEVICE_HISTORY.EVENT_TYPE))
                .containsExactly("DeviceRegistered", "DeviceSettingsUpdated", "DeviceDecommissioned");
    }

    @Test
    void aBatchConsumedTwice_atTheSameOffsets_isAppliedOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        UUID uuid = UUID.fromString(id);
        EventEnvelope registered = lifecycle(id).get(0);
        RecordMetadata meta = publish(Topics.EVENTS, id, registered);
        awaitConsumed("projector-devices", meta);
        Result<Record> before = deviceRows(uuid);
        long positionBefore = position("projector-devices", meta);

        // Hand the very same record (same partition and offset) to the consumer again, as a redelivery after a crash would.
        ConsumerRecord<byte[], byte[]> again = new ConsumerRecord<>(meta.topic(), meta.partition(), meta.offset(),
                id.getBytes(), Topics.EVENTS.valueSerde().serializer().serialize(meta.topic(), registered));
        assertThat(devices.consume(List.of(again))).isEmpty();

        assertThat(deviceRows(uuid)).isEqualTo(before);
        assertThat(position("projector-devices", meta)).isEqualTo(positionBefore);
    }

    private long position(String consumer, RecordMetadata meta) {
        return db.select(CONSUMER_POSITION.NEXT_OFFSET).from(CONSUMER_POSITION)
                .where(CONSUMER_POSITION.CONSUMER.eq(consumer), CONSUMER_POSITION.TOPIC.eq(meta.topic()),
                        CONSUMER_POSITION.PARTITION.eq(meta.partition())).fetchOne(CONSUMER_POSITION.NEXT_OFFSET);
    }

    @Test
    void telemetry_buildsPointsLatestValuesAndLastSeen_andRedeliveryChangesNothing() throws Exception {
        String id = UUID.randomUUID().toString();
        UUID uuid = UUID.fromString(id);
        awaitConsumed("projector-devices", publish(Topics.EVENTS, id, lifecycle(id).get(0)));
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TelemetryBatch newer = batch(id, t, point("temp", t, 21.5), point("hum", t, 40));
        TelemetryBatch older = batch(id, t, point("temp", t.minusSeconds(60), 19.0));

        publish(Topics.TELEMETRY, id, newer);
        RecordMetadata last = publish(Topics.TELEMETRY, id, older);
        awaitConsumed("projector-telemetry", last);

        assertThat(pointCount(uuid)).isEqualTo(3);
        assertThat(db.select(LATEST_METRIC.VALUE).from(LATEST_METRIC)
                .where(LATEST_METRIC.DEVICE_ID.eq(uuid), LATEST_METRIC.METRIC.eq("temp")).fetchOne(LATEST_METRIC.VALUE))
                .as("an older point never replaces a newer latest value").isEqualTo(21.5);
        assertThat(db.select(DEVICE_ACTIVITY.LAST_SEEN_AT).from(DEVICE_ACTIVITY)
                .where(DEVICE_ACTIVITY.DEVICE_ID.eq(uuid)).fetchOne(DEVICE_ACTIVITY.LAST_SEEN_AT).toInstant())
                .as("last seen is when the newest batch was received").isEqualTo(t);

        Result<Record> latestBefore = db.select().from(LATEST_METRIC).where(LATEST_METRIC.DEVICE_ID.eq(uuid)).fetch();
        last = publish(Topics.TELEMETRY, id, newer);
        awaitConsumed("projector-telemetry", last);
        assertThat(pointCount(uuid)).isEqualTo(3);
        assertThat(db.select().from(LATEST_METRIC).where(LATEST_METRIC.DEVICE_ID.eq(uuid)).fetch()).isEqualTo(latestBefore);
    }

    private int pointCount(UUID id) {
        return db.fetchCount(TELEMETRY_POINT, TELEMETRY_POINT.DEVICE_ID.eq(id));
    }

    private static TelemetryPoint point(String metric, Instant at, double value) {
        return TelemetryPoint.newBuilder().setMetric(metric).setTimestamp(at).setValue(value).build();
    }

    private static TelemetryBatch batch(String deviceId, Instant receivedAt, TelemetryPoint... points) {
        return TelemetryBatch.newBuilder().setWorkspaceId("acme").setDeviceId(deviceId).setStationId(null)
                .setSource(TelemetrySource.MQTT).setReceivedAt(receivedAt).setPoints(new ArrayList<>(List.of(points)))
                .build();
    }

    @Test
    void committedChanges_areAnnouncedOnTheWorkspaceChannel() throws Exception {
        String id = UUID.randomUUID().toString();
        List<String> received = new CopyOnWriteArrayList<>();
        int listener = redis.getTopic("fleet:changes:acme", StringCodec.INSTANCE)
                .addListener(String.class, (channel, message) -> received.add(message));
        try {
            publish(Topics.EVENTS, id, lifecycle(id).get(0));
            await().atMost(WAIT).until(() -> received.stream().anyMatch(m -> m.contains(id) && m.contains("device.created")));
            assertThat(received.stream().filter(m -> m.contains(id)).findFirst().orElseThrow())
                    .contains("\"workspaceId\":\"acme\"").doesNotContain("tokenHash");
        } finally {
            redis.getTopic("fleet:changes:acme", StringCodec.INSTANCE).removeListener(listener);
        }
    }

    @Test
    void anUnreadableEvent_isDeadLetteredAndSkipped() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (TopicWatcher<String, DeadLetter> deadLetters = TopicWatcher.fromBeginning(
                SharedInfrastructure.get().kafka().bootstrapServers(), Topics.DEADLETTER.name(),
                Topics.DEADLETTER.keySerde().deserializer(), Topics.DEADLETTER.valueSerde().deserializer())) {
            RecordMetadata meta = producer.send(new ProducerRecord<>(Topics.EVENTS.name(), marker,
                    ("not avro " + marker).getBytes())).get();
            DeadLetter letter = deadLetters.await(d -> new String(d.getPayload().array()).contains(marker), WAIT);
            assertThat(letter.getReasonCode()).isEqualTo("event.unreadable");
            awaitConsumed("projector-devices", meta);
        }
    }

    @Test
    void aRebuild_givesTheSameRowsAsTheLiveProjection() throws Exception {
        for (int i = 0; i < 3; i++) {
            publishLifecycle(UUID.randomUUID().toString());
        }
        awaitCaughtUp("projector-devices", Topics.EVENTS.name());
        Result<Record> devicesLive = allDevices();
        Result<Record> historyLive = allHistory();

        Rebuilds.Report report = rebuilds.rebuild("devices");

        assertThat(report.projection()).isEqualTo("projector-devices");
        assertThat(report.records()).isGreaterThanOrEqualTo(9);
        assertThat(allDevices()).isEqualTo(devicesLive);
        assertThat(allHistory()).isEqualTo(historyLive);
    }

    @Test
    void eventsArrivingDuringARebuild_areNeitherLostNorAppliedTwice() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> listeners.getListenerContainer("projector-devices")
                .getAssignedPartitions() != null
                && !listeners.getListenerContainer("projector-devices").getAssignedPartitions().isEmpty());
        awaitCaughtUp("projector-devices", Topics.EVENTS.name());
        ExecutorService background = Executors.newSingleThreadExecutor();
        String during = UUID.randomUUID().toString();
        String after = UUID.randomUUID().toString();
        // Hold the projection's lock, so that the rebuild queues first and the live consumer behind it.
        try (Connection holder = DriverManager.getConnection(SharedInfrastructure.get().postgres().jdbcUrl(),
                "postgres", "")) {
            holder.createStatement().execute("select pg_advisory_lock(hashtext('projector-devices'))");
            Future<Rebuilds.Report> rebuild = background.submit(() -> rebuilds.rebuild("devices"));
            await().atMost(Duration.ofSeconds(60)).until(() -> lockWaiters() == 1);
            publishLifecycle(during);
            await().atMost(Duration.ofSeconds(60)).until(() -> lockWaiters() == 2); // the live consumer holds those events
            holder.createStatement().execute("select pg_advisory_unlock(hashtext('projector-devices'))");
            assertThat(rebuild.get(60, TimeUnit.SECONDS).records()).isGreaterThanOrEqualTo(3);
        } finally {
            background.shutdownNow();
        }
        publishLifecycle(after);
        awaitCaughtUp("projector-devices", Topics.EVENTS.name());

        for (String id : List.of(during, after)) {
            assertThat(deviceRows(UUID.fromString(id))).extracting(r -> r.get(DEVICE.VERSION)).containsExactly(2L);
            assertThat(historyRows(UUID.fromString(id))).extracting(r -> r.get(DEVICE_HISTORY.SEQUENCE))
                    .containsExactly(0L, 1L, 2L);
        }
        Result<Record> devicesLive = allDevices();
        Result<Record> historyLive = allHistory();
        rebuilds.rebuild("devices");
        assertThat(allDevices()).isEqualTo(devicesLive);
        assertThat(allHistory()).isEqualTo(historyLive);
    }

    @Test
    void aProjectionWhoseTopicIsNotKeptForever_isNotRebuilt() {
        assertThatThrownBy(() -> rebuilds.rebuild("telemetry")).isInstanceOf(Rebuilds.RebuildRefused.class)
                .hasMessageContaining("fleet.telemetry is not kept forever");
        assertThatThrownBy(() -> rebuilds.rebuild("nothing")).isInstanceOf(Rebuilds.RebuildRefused.class)
                .hasMessageContaining("projector-devices");
    }

    @Test
    void aRebuildAgainstATopicHoldingLessThanTheReadModel_isRefusedAndChangesNothing() throws Exception {
        String id = UUID.randomUUID().toString();
        RecordMetadata last = null;
        for (EventEnvelope event : lifecycle(id)) {
            last = publish(Topics.EVENTS, id, event);
        }
        awaitCaughtUp("projector-devices", Topics.EVENTS.name());
        Result<Record> devicesBefore = allDevices();
        long applied = position("projector-devices", last);
        // as if the projector had been pointed at another cluster, or the topic recreated
        setPosition(last, applied + 1000);
        try {
            assertThatThrownBy(() -> rebuilds.rebuild("devices")).isInstanceOf(Rebuilds.RebuildRefused.class)
                    .hasMessageContaining("beyond what this Kafka holds");
            assertThat(allDevices()).isEqualTo(devicesBefore);
        } finally {
            setPosition(last, applied);
        }
    }

    private void setPosition(RecordMetadata meta, long next) {
        db.update(CONSUMER_POSITION).set(CONSUMER_POSITION.NEXT_OFFSET, next)
                .where(CONSUMER_POSITION.CONSUMER.eq("projector-devices"), CONSUMER_POSITION.TOPIC.eq(meta.topic()),
                        CONSUMER_POSITION.PARTITION.eq(meta.partition()))
                .execute();
    }

    private void publishLifecycle(String id) throws Exception {
        for (EventEnvelope event : lifecycle(id)) {
            publish(Topics.EVENTS, id, event);
        }
    }

    private Result<Record> allDevices() {
        return db.select().from(DEVICE).orderBy(DEVICE.DEVICE_ID).fetch();
    }

    private Result<Record> allHistory() {
        return db.select().from(DEVICE_HISTORY).orderBy(DEVICE_HISTORY.DEVICE_ID, DEVICE_HISTORY.SEQUENCE).fetch();
    }

    /** Transactions waiting for the devices projection's lock (an advisory lock on one bigint key). */
    private int lockWaiters() {
        return db.fetchCount(db.select().from("pg_locks").where("locktype = 'advisory' and not granted "
                + "and objsubid = 1 and objid::bigint = (hashtext('projector-devices')::bigint & 4294967295)"));
    }

    /** Waits until the projection has consumed everything its topic holds now. */
    private void awaitCaughtUp(String consumer, String topic) {
        Map<TopicPartition, Long> end;
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.get().kafka().bootstrapServers()), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            end = kafka.endOffsets(kafka.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList());
        }
        await().atMost(WAIT).until(() -> end.entrySet().stream().allMatch(e -> e.getValue() == 0
                || db.select(CONSUMER_POSITION.NEXT_OFFSET).from(CONSUMER_POSITION)
                        .where(CONSUMER_POSITION.CONSUMER.eq(consumer), CONSUMER_POSITION.TOPIC.eq(topic),
                                CONSUMER_POSITION.PARTITION.eq(e.getKey().partition()))
                        .fetchOptional(CONSUMER_POSITION.NEXT_OFFSET).map(next -> next >= e.getValue()).orElse(false)));
    }
}
