package io.fleetstream.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RedisCircuitTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final RedisCircuit circuit = new RedisCircuit(now::get);

    @Test
    void whileRedisAnswers_everyRequestAsksIt() {
        circuit.succeeded();

        assertThat(circuit.tryCall()).isTrue();
        assertThat(circuit.tryCall()).isTrue();
    }

    @Test
    void afterAFailure_requestsPassByForThePause_thenOneTriesAgain() {
        circuit.failed(new IllegalStateException("refused"));

        assertThat(circuit.tryCall()).isFalse();
        now.addAndGet(RedisCircuit.PAUSE.toNanos() - 1);
        assertThat(circuit.tryCall()).isFalse();

        now.addAndGet(1);
        assertThat(circuit.tryCall()).as("the one that tries").isTrue();
        assertThat(circuit.tryCall()).as("the others, while it tries").isFalse();
    }

    @Test
    void aRetryThatSucceeds_letsEveryRequestAskAgain_oneThatFails_pausesAgain() {
        circuit.failed(new IllegalStateException("refused"));
        now.addAndGet(RedisCircuit.PAUSE.toNanos());
        assertThat(circuit.tryCall()).isTrue();
        circuit.failed(new IllegalStateException("refused again"));
        assertThat(circuit.tryCall()).isFalse();

        now.addAndGet(RedisCircuit.PAUSE.toNanos());
        assertThat(circuit.tryCall()).isTrue();
        circuit.succeeded();
        assertThat(circuit.tryCall()).isTrue();
        assertThat(circuit.tryCall()).isTrue();
    }

    @Test
    void aFailureIsDescribedInOneShortLine_withoutThePasswordOfAnAddress() {
        String described = RedisCircuit.describe(new RuntimeException("wrapped", new IllegalStateException(
                "Unable to connect to redis://user:secret@redis.example:6379 " + "x".repeat(300))));

        assertThat(described).startsWith("IllegalStateException: Unable to connect to redis://redis.example:6379")
                .doesNotContain("secret").hasSizeLessThan(160);
    }
}
