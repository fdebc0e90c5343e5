package io.fleetstream.gateway.telemetry;

import io.fleetstream.gateway.device.AuthenticatedDevice;
import io.fleetstream.schemas.RecordRules;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.telemetry.TelemetryBatch;
import io.fleetstream.schemas.telemetry.TelemetrySource;
import io.fleetstream.support.kafka.DeadLetters;
import io.fleetstream.support.kafka.TopicPublisher;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Where device telemetry enters the platform, whatever the protocol: valid messages go to
 * {@code fleet.telemetry} keyed by device, invalid ones to {@code fleet.deadletter} with the reason.
 * The returned future completes when Kafka has the record, so protocols acknowledge only then.
 */
@Component
public class TelemetryIntake {

    private static final Logger log = LoggerFactory.getLogger(TelemetryIntake.class);

    private final TelemetryParser parser = new TelemetryParser(Clock.systemUTC());
    private final TopicPublisher publisher;
    private final DeadLetters deadLetters;
    private final AtomicLong droppedDeadLetters = new AtomicLong();
    /**
     * Dead-lettering waits for Kafka, so it runs off the protocols' I/O threads, with a bounded backlog: a
     * device flooding invalid messages while Kafka is slow costs dropped dead letters (counted, logged), not memory.
     */
    private final ThreadPoolExecutor deadLetterExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1000), r -> {
                Thread thread = new Thread(r, "telemetry-deadletter");
                thread.setDaemon(true);
                return thread;
            }, (task, executor) -> {
                if (droppedDeadLetters.incrementAndGet() % 1000 == 1) {
                    log.warn("dead-letter backlog full: {} invalid messages not dead-lettered so far", droppedDeadLetters.get());
                }
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
            // the same contract check as every command: nothing unstorable goes on to the projector
            List<RecordRules.Violation> violations = RecordRules.check(batch);
            if (!violations.isEmpty()) {
                throw new InvalidTelemetryException(violations.get(0).field() + " " + violations.get(0).message());
            }
        } catch (InvalidTelemetryException e) {
            refuse(device, origin, "telemetry.malformed", e.getMessage(), payload);
            throw e;
        }
        return publisher.send(Topics.TELEMETRY, device.deviceId(), batch).thenApply(sent -> null);
    }

    /** Puts a device's message that is refused on {@code fleet.deadletter}, without waiting for Kafka. */
    public void refuse(AuthenticatedDevice device, String origin, String reasonCode, String reason, byte[] payload) {
        deadLetterExecutor.execute(() -> deadLetters.send(origin, reasonCode, reason, device.workspaceId(),
                device.deviceId(), payload));
    }
}
