package io.fleetstream.command.publishing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetstream.command.intake.CommandProcessor;
import io.fleetstream.infra.EmbeddedKafkaBroker;
import io.fleetstream.infra.Ports;
import io.fleetstream.infra.SharedInfrastructure;
import io.fleetstream.infra.testing.TopicWatcher;
import io.fleetstream.schemas.Payloads;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.command.Actor;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.schemas.command.CommandEnvelope;
import io.fleetstream.schemas.command.CommandStatus;
import io.fleetstream.schemas.device.RegisterDevice;
import io.fleetstream.schemas.device.UpdateDeviceSettings;
import io.fleetstream.schemas.event.EventEnvelope;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import io.fleetstream.support.kafka.TopicPublisher;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Kafka goes away while commands keep being applied: the events are stored, and once Kafka is back
 * every one of them is published, in order. The service gets a broker of its own (stopped and restarted
 * here) and a database of its own (so its publisher's position is not shared with other test contexts).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        // fail sends quickly, so the outage is felt by the publisher rather than hidden in the producer's buffer
        "fleet.kafka.request-timeout=2s", "fleet.kafka.delivery-timeout=5s"})
@DirtiesContext // closed while its own broker still runs, rather than retrying against it for the rest of the JVM
class KafkaOutageIT {

    private static final Path KAFKA_DIR = tempDir();
    private static final int KAFKA_PORT = Ports.free();
    private static final int CONTROLLER_PORT = Ports.free();
    private static EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(KAFKA_DIR, KAFKA_PORT, CONTROLLER_PORT);

    @Autowired
    CommandProcessor processor;
    @Autowired
    TopicPublisher publisher;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
        String database = "outage_" + UUID.randomUUID().toString().replace("-", "");
        String adminUrl = SharedInfrastructure.get().postgres().jdbcUrl();
        try (Connection connection = DriverManager.getConnection(adminUrl, "postgres", "")) {
            connection.createStatement().execute("create database " + database);
        }
        SharedInfrastructure.get().springProperties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("fleet.db.url", () -> adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + database);
        registry.add("fleet.kafka.bootstrap", () -> "localhost:" + KAFKA_PORT);
    }

    static {
        // after the context (closed when the class ends): its clients shut down cleanly against a live broker
        Runtime.getRuntime().addShutdownHook(new Thread(() -> kafka.close(), "outage-kafka-stop"));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("fleet-outage-kafka");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The workspace the devices are registered in, created by the first test that needs it. */
    private static final String WORKSPACE = UUID.randomUUID().toString();

    private CommandEnvelope envelope(String deviceId, SpecificRecord command) {
        if (!deviceId.equals(WORKSPACE) && !workspaceMade) {
            workspaceMade = true;
            assertThat(processor.process(envelope(WORKSPACE, io.fleetstream.schemas.workspace.CreateWorkspace.newBuilder()
                    .setWorkspaceId(WORKSPACE).setName("Outage").setSlug("outage-" + WORKSPACE.substring(0, 8))
                    .setTimezone("UTC").setOwnerId(UUID.randomUUID().toString()).build())).getStatus())
                    .isEqualTo(CommandStatus.ACCEPTED);
        }
        return CommandEnvelope.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setType(Payloads.typeOf(command))
                .setWorkspaceId(WORKSPACE)
                .setAggregateId(deviceId)
                .setActor(Actor.newBuilder().setKind(ActorKind.SYSTEM).setId("test").build())
                .setIssuedAt(Instant.now())
                .setPayload(ByteBuffer.wrap(Payloads.encode(command)))
                .build();
    }

    private boolean workspaceMade;

    @Test
    void eventsStoredWhileKafkaIsAway_arePublishedInOrderWhenItReturns() {
        String id = UUID.randomUUID().toString();
        assertThat(processor.process(envelope(id, RegisterDevice.newBuilder().setDeviceId(id).setName("n")
                .setDeviceType("t").setHardwareId(null).setSettingsJson("{}").setTokenHash("c".repeat(64)).build()))
                .getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        try (TopicWatcher<String, EventEnvelope> before = watch()) {
            before.await(e -> e.getAggregateId().equals(id), Duration.ofSeconds(90));
        }

        long failedBefore = publisher.failedSends();
        kafka.close();
        for (int i = 1; i <= 3; i++) {
            assertThat(processor.process(envelope(id, UpdateDeviceSettings.newBuilder().setDeviceId(id)
                    .setPatchJson("{\"step\":" + i + "}").build())).getAggregateVersion())
                    .as("commands are applied while Kafka is away").isEqualTo(i);
        }
        await("publishing the stored events fails while Kafka is away").atMost(Duration.ofSeconds(60))
                .until(() -> publisher.failedSends() > failedBefore);
        kafka = EmbeddedKafkaBroker.start(KAFKA_DIR, KAFKA_PORT, CONTROLLER_PORT);

        try (TopicWatcher<String, EventEnvelope> after = watch()) {
            // the publisher retries with Axon's back-off (doubling up to 60 s) until Kafka takes the event
            await().atMost(Duration.ofSeconds(240)).until(() ->
                    after.values(e -> e.getAggregateId().equals(id)).stream().map(EventEnvelope::getSequence)
                            .distinct().count() == 4);
            assertThat(after.values(e -> e.getAggregateId().equals(id)).stream().map(EventEnvelope::getSequence).distinct())
                    .containsExactly(0L, 1L, 2L, 3L);
        }
    }

    private static TopicWatcher<String, EventEnvelope> watch() {
        return TopicWatcher.fromBeginning("localhost:" + KAFKA_PORT, Topics.EVENTS.name(),
                Topics.EVENTS.keySerde().deserializer(), Topics.EVENTS.valueSerde().deserializer());
    }
}
