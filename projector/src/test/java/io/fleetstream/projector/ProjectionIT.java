package io.fleetstream.projector;

import static io.fleetstream.schemas.readmodel.Tables.CONSUMER_POSITION;
import static io.fleetstream.schemas.readmodel.Tables.DEVICE;
import static io.fleetstream.schemas.readmodel.Tables.DEVICE_ACTIVITY;
import static io.fleetstream.schemas.readmodel.Tables.AGGREGATE_EVENT;
import static io.fleetstream.schemas.readmodel.Tables.LATEST_METRIC;
import static io.fleetstream.schemas.readmodel.Tables.TELEMETRY_POINT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleetstream.infra.SharedInfrastructure;
import io.fleetstream.projector.projection.ParkedRecords;
import io.fleetstream.projector.projection.ParkedRetries;
import io.fleetstream.projector.projection.Rebuilds;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.HealthIndicator;
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
    @Autowired
    ParkedRecords parked;
    @Autowired
    ParkedRetries retries;
    @Autowired
    @Qualifier("projections")
    HealthIndicator health;

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
        return db.select().from(AGGREGATE_EVENT).where(AGGREGATE_EVENT.AGGREGATE_ID.eq(id.toString()))
                .orderBy(AGGREGATE_EVENT.SEQUENCE).fetch();
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
        assertThat(historyRows(uuid).get(0).get(AGGREGATE_EVENT.DATA).data()).doesNotContain("tokenHash");
        // each event keeps the device as it was right after it, for its state at an earlier instant
        assertThat(historyRows(uuid).get(0).get(AGGREGATE_EVENT.STATE).data()).doesNotContain("tokenHash")
                .contains("\"version\": 0").contains("\"status\": \"active\"");
        assertThat(historyRows(uuid).get(1).get(AGGREGATE_EVENT.STATE).data()).contains("\"interval\": 9")
                .contains("\"version\": 1");

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
        assertThat(historyRows(uuid)).extracting(r -> r.get(AGGREGATE_EVENT.EVENT_TYPE))
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
            assertThat(historyRows(UUID.fromString(id))).extracting(r -> r.get(AGGREGATE_EVENT.SEQUENCE))
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

    /** Makes PostgreSQL refuse rows of a table whose column holds the value, as an unforeseen cause would. */
    private String poison(String table, String column, String value) {
        String name = "test_poison_" + UUID.randomUUID().toString().replace("-", "");
        db.execute("create function readmodel." + name + "() returns trigger language plpgsql as $$ begin "
                + "if new." + column + " = '" + value + "' then raise exception 'poisoned by a test' using errcode = '22000'; "
                + "end if; return new; end $$");
        db.execute("create trigger " + name + " before insert or update on readmodel." + table
                + " for each row execute function readmodel." + name + "()");
        return name;
    }

    private void cure(String poison, String table) {
        db.execute("drop trigger " + poison + " on readmodel." + table);
        db.execute("drop function readmodel." + poison + "()");
    }

    private List<ParkedRecords.Parked> parkedOf(String projection, String key) {
        return parked.sequences(projection, key.getBytes(), false).stream().flatMap(List::stream).toList();
    }

    @Test
    void anEventThatCannotBeApplied_parksItsAggregate_everyOtherGoesOn_andARetryAppliesItOnceTheCauseIsFixed()
            throws Exception {
        String poisoned = UUID.randomUUID().toString();
        String healthy = UUID.randomUUID().toString();
        String marker = "poison-" + poisoned;
        String trigger = poison("device", "name", marker);
        try {
            List<EventEnvelope> bad = lifecycle(poisoned);
            EventEnvelope badRegistration = event(poisoned, 0, DeviceRegistered.newBuilder().setDeviceId(poisoned)
                    .setName(marker).setDeviceType("esp32").setHardwareId(null).setSettingsJson("{}")
                    .setTokenHash(uniqueHash()).build(), bad.get(0).getOccurredAt());
            publish(Topics.EVENTS, poisoned, badRegistration);
            publish(Topics.EVENTS, poisoned, bad.get(1));
            publishLifecycle(healthy);
            awaitCaughtUp("projector-devices", Topics.EVENTS.name());

            assertThat(deviceRows(UUID.fromString(healthy))).extracting(r -> r.get(DEVICE.VERSION)).containsExactly(2L);
            assertThat(deviceRows(UUID.fromString(poisoned))).isEmpty();
            List<ParkedRecords.Parked> held = parkedOf("projector-devices", poisoned);
            assertThat(held).extracting(ParkedRecords.Parked::failed).containsExactly(true, false);
            assertThat(held.get(0).error()).contains("SQLSTATE 22000");
            assertThat(health.health().getStatus().getCode()).isEqualTo("DEGRADED");

            // later events of the parked aggregate wait behind it, in order
            publish(Topics.EVENTS, poisoned, bad.get(2));
            awaitCaughtUp("projector-devices", Topics.EVENTS.name());
            assertThat(parkedOf("projector-devices", poisoned)).hasSize(3);
            assertThat(retries.retry("devices", poisoned).stillParked()).isEqualTo(3); // not fixed yet
            assertThat(parkedOf("projector-devices", poisoned).get(0).attempts()).isEqualTo(2);
        } finally {
            cure(trigger, "device");
        }

        ParkedRetries.Outcome outcome = retries.retry("devices", poisoned);

        assertThat(outcome.applied()).isEqualTo(3);
        assertThat(outcome.stillParked()).isZero();
        assertThat(parkedOf("projector-devices", poisoned)).isEmpty();
        assertThat(deviceRows(UUID.fromString(poisoned))).extracting(r -> r.get(DEVICE.STATUS))
                .containsExactly("DECOMMISSIONED");
        assertThat(historyRows(UUID.fromString(poisoned))).extracting(r -> r.get(AGGREGATE_EVENT.SEQUENCE))
                .containsExactly(0L, 1L, 2L);
    }

    @Test
    void anEventPostgresCannotStore_staysParked_andSkippingItAppliesTheRestOfItsAggregate_alsoInARebuild()
            throws Exception {
        String id = UUID.randomUUID().toString();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // a NUL in a name, as the command service accepted before texts were checked at the edge
        publish(Topics.EVENTS, id, event(id, 0, DeviceRegistered.newBuilder().setDeviceId(id).setName("nul\u0000name")
                .setDeviceType("esp32").setHardwareId(null).setSettingsJson("{}").setTokenHash(uniqueHash()).build(), at));
        publish(Topics.EVENTS, id, event(id, 1, DeviceSettingsUpdated.newBuilder().setDeviceId(id)
                .setSettingsJson("{\"interval\":9}").setPatchJson("{\"interval\":9}").build(), at.plusSeconds(1)));
        awaitCaughtUp("projector-devices", Topics.EVENTS.name());
        assertThat(parkedOf("projector-devices", id)).hasSize(2);
        assertThat(parkedOf("projector-devices", id).get(0).error()).contains("breaks its contract", "name")
                .doesNotContain("\u0000");

        assertThat(retries.retry("devices", id).stillParked()).isEqualTo(2);
        ParkedRetries.Outcome skipped = retries.skip("devices", id);

        assertThat(skipped.skipped()).isEqualTo(1);
        assertThat(skipped.applied()).isEqualTo(1);
        assertThat(parkedOf("projector-devices", id)).isEmpty();
        assertThat(historyRows(UUID.fromString(id))).extracting(r -> r.get(AGGREGATE_EVENT.SEQUENCE)).containsExactly(1L);
        Result<Record> devicesLive = allDevices();
        Result<Record> historyLive = allHistory();
        rebuilds.rebuild("devices");
        assertThat(allDevices()).isEqualTo(devicesLive);
        assertThat(allHistory()).isEqualTo(historyLive);
    }

    @Test
    void anEventOfATypeThisProjectorDoesNotKnow_isParkedForAnUpgrade_notDeadLettered() throws Exception {
        String id = UUID.randomUUID().toString();
        EventEnvelope known = lifecycle(id).get(0);
        EventEnvelope newer = EventEnvelope.newBuilder(lifecycle(id).get(1)).setType("DeviceTeleported").build();
        publish(Topics.EVENTS, id, known);
        publish(Topics.EVENTS, id, newer);
        awaitCaughtUp("projector-devices", Topics.EVENTS.name());

        assertThat(deviceRows(UUID.fromString(id))).extracting(r -> r.get(DEVICE.VERSION)).containsExactly(0L);
        assertThat(parkedOf("projector-devices", id)).singleElement()
                .satisfies(p -> assertThat(p.error()).contains("unknown payload type DeviceTeleported"));
    }

    @Test
    void telemetryThatCannotBeStored_isParkedAlone_theRestIsStored_andARetryStoresItOnceTheCauseIsFixed()
            throws Exception {
        String device = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        String metric = "poison-" + device.substring(0, 8);
        String trigger = poison("telemetry_point", "metric", metric);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        RecordMetadata last;
        try {
            publish(Topics.TELEMETRY, device, telemetry(device, at, metric, 1.0));
            publish(Topics.TELEMETRY, device, telemetry(device, at.plusMillis(1), "temp", 2.0));
            last = publish(Topics.TELEMETRY, other, telemetry(other, at, "temp", 3.0));
            awaitCaughtUp("projector-telemetry", Topics.TELEMETRY.name());
            assertThat(points(device)).containsExactly("temp");
            assertThat(points(other)).containsExactly("temp");
            assertThat(parkedOf("projector-telemetry", device)).hasSize(1);
            assertThat(position("projector-telemetry", last)).isGreaterThan(last.offset());
        } finally {
            cure(trigger, "telemetry_point");
        }

        assertThat(retries.retry("telemetry", device).applied()).isEqualTo(1);
        assertThat(points(device)).containsExactlyInAnyOrder("temp", metric);
        assertThat(parkedOf("projector-telemetry", device)).isEmpty();
    }

    @Test
    void telemetryThatBreaksItsContract_isDeadLetteredWithItsReason_andEveryOtherDevicesPointsAreStored() throws Exception {
        String device = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (TopicWatcher<String, DeadLetter> deadLetters = TopicWatcher.fromBeginning(
                SharedInfrastructure.get().kafka().bootstrapServers(), Topics.DEADLETTER.name(),
                Topics.DEADLETTER.keySerde().deserializer(), Topics.DEADLETTER.valueSerde().deserializer())) {
            // straight onto the topic, as an outside producer could: a NUL in a name, a value no chart can draw
            publish(Topics.TELEMETRY, device, telemetry(device, at, "m\u0000", 1.0));
            publish(Topics.TELEMETRY, device, telemetry(device, at.plusMillis(1), "nan", Double.NaN));
            publish(Topics.TELEMETRY, other, telemetry(other, at, "temp", 3.0));
            awaitCaughtUp("projector-telemetry", Topics.TELEMETRY.name());

            assertThat(points(other)).containsExactly("temp");
            assertThat(points(device)).isEmpty();
            await().atMost(WAIT).until(() -> deadLetters.values(d -> d.getReasonCode().equals("telemetry.invalid")
                    && new String(d.getPayload().array(), java.nio.charset.StandardCharsets.ISO_8859_1).contains(device))
                    .size() == 2);
        }
    }

    private static TelemetryBatch telemetry(String device, Instant at, String metric, double value) {
        return TelemetryBatch.newBuilder().setWorkspaceId("acme").setDeviceId(device).setStationId(null)
                .setSource(TelemetrySource.HTTP).setReceivedAt(at)
                .setPoints(List.of(TelemetryPoint.newBuilder().setMetric(metric).setTimestamp(at).setValue(value).build()))
                .build();
    }

    private List<String> points(String device) {
        return db.select(TELEMETRY_POINT.METRIC).from(TELEMETRY_POINT)
                .where(TELEMETRY_POINT.DEVICE_ID.eq(UUID.fromString(device))).fetch(TELEMETRY_POINT.METRIC);
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
        return db.select().from(AGGREGATE_EVENT).orderBy(AGGREGATE_EVENT.AGGREGATE_ID, AGGREGATE_EVENT.SEQUENCE).fetch();
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
