package io.fleetstream.support.kafka;

import io.fleetstream.schemas.Text;
import io.fleetstream.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.fleetstream.schemas.deadletter.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts refused input on {@code fleet.deadletter} with its reason, and waits until Kafka has it: nothing
 * refused is dropped silently.
 */
public class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final TopicPublisher publisher;
    private final String source;
    private final MeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();

    public DeadLetters(TopicPublisher publisher, String source, MeterRegistry metrics) {
        this.publisher = publisher;
        this.source = source;
        this.metrics = metrics;
    }

    public void send(String origin, String reasonCode, String reason, @Nullable String workspaceId,
            @Nullable String deviceId, byte @Nullable [] payload) {
        log.warn("dead-lettered input from {}: {} {}", Text.printable(origin, 200), reasonCode, Text.printable(reason, 300));
        metrics.counter("fleet.deadletters", "reason", reasonCode).increment();
        DeadLetter letter = DeadLetter.newBuilder()
                .setSource(source)
                .setOrigin(origin)
                .setReasonCode(reasonCode)
                .setReason(reason)
                .setWorkspaceId(workspaceId)
                .setDeviceId(deviceId)
                .setReceivedAt(clock.instant())
                .setPayload(ByteBuffer.wrap(payload == null ? new byte[0] : payload))
                .build();
        try {
            publisher.send(Topics.DEADLETTER, source, letter).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not dead-letter input from " + origin, e);
        }
    }
}
