package io.fleetstream.gateway.telemetry;

import io.fleetstream.gateway.device.AuthenticatedDevice;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.telemetry.TelemetryBatch;
import io.fleetstream.schemas.telemetry.TelemetrySource;
import io.fleetstream.support.kafka.DeadLetters;
import io.fleetstream.support.kafka.TopicPublisher;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Where device telemetry enters the platform, whatever the protocol: valid messages go to
 * {@code fleet.telemetry} keyed by device, invalid ones to {@code fleet.deadletter} with the reason.
 * The returned future completes when Kafka has the record, so protocols acknowledge only then.
 */
@Component
public class TelemetryIntake {

    private final TelemetryParser parser = new TelemetryParser(Clock.systemUTC());
    private final TopicPublisher publisher;
    private final DeadLetters deadLetters;
    /** Dead-lettering waits for Kafka; it must not block a protocol's I/O threads. */
    private final Executor deadLetterExecutor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "telemetry-deadletter");
        thread.setDaemon(true);
        return thread;
    });

    TelemetryIntake(TopicPublisher publisher, DeadLetters deadLetters) {
        this.publisher = publisher;
        this.deadLetters = deadLetters;
    }

    public enum Kind { TELEMETRY, HEARTBEAT }

    /**
     * Parses and forwards one message.
     *
     * @throws InvalidTelemetryException when the message is invalid (after it was dead-lettered)
     */
    public CompletableFuture<Void> accept(AuthenticatedDevice device, @Nullable String stationId, TelemetrySource source,
            Kind kind, String origin, byte[] payload) {
        TelemetryBatch batch;
        try {
            batch = kind == Kind.TELEMETRY
                    ? parser.telemetry(device, stationId, source, payload)
                    : parser.heartbeat(device, stationId, source, payload);
        } catch (InvalidTelemetryException e) {
            deadLetterExecutor.execute(() -> deadLetters.send(origin, "telemetry.malformed", e.getMessage(),
                    device.workspaceId(), device.deviceId(), payload));
            throw e;
        }
        return publisher.send(Topics.TELEMETRY, device.deviceId(), batch).thenApply(sent -> null);
    }
}
