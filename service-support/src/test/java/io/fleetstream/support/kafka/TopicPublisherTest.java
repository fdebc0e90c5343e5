package io.fleetstream.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.deadletter.DeadLetter;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A real producer aimed at a port nobody listens on: it cannot get metadata within {@code max.block.ms},
 * which {@code KafkaTemplate} reports by throwing. The publisher turns that into a failed future and counts it.
 */
class TopicPublisherTest {

    @Test
    void aSendKafkaCannotTakeAtOnce_failsItsFutureAndIsCounted() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        FleetKafkaProperties properties = new FleetKafkaProperties("localhost:" + deadPort, 1, (short) 1, false, 0,
                Duration.ofMillis(200), Duration.ofMillis(500));
        TopicPublisher publisher = new FleetKafkaAutoConfiguration().topicPublisher(properties);
        DeadLetter letter = DeadLetter.newBuilder().setSource("test").setOrigin("test")
                .setReasonCode("test.reason").setReason("detail").setReceivedAt(Instant.now())
                .setPayload(ByteBuffer.wrap(new byte[] {1})).build();

        CompletableFuture<?> sent = publisher.send(Topics.DEADLETTER, "key", letter);

        await().atMost(Duration.ofSeconds(30)).until(sent::isDone);
        assertThat(sent).isCompletedExceptionally();
        assertThat(publisher.failedSends()).isEqualTo(1);
    }
}
