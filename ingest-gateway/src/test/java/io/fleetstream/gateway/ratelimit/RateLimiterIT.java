package io.fleetstream.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetstream.gateway.ratelimit.RateLimitTiers.Tier;
import io.fleetstream.infra.EmbeddedRedisServer;
import io.fleetstream.infra.Ports;
import io.fleetstream.infra.SharedInfrastructure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/** The limiter against the real embedded Redis, and against a Redis that is not there or does not answer. */
class RateLimiterIT {

    private static RedissonClient redis;

    @BeforeAll
    static void connect() {
        redis = client(SharedInfrastructure.get().redis().url());
    }

    @AfterAll
    static void disconnect() {
        redis.shutdown();
    }

    @Test
    void theEleventhRequestInASecond_isRefused_withNoneRemainingAndTheSecondUntilTheWindowResets() {
        RateLimiter limiter = new RateLimiter(redis, RateLimitTiers.parse("10/1s,50/10s,200/1m"));

        // the one-second window may end while a stalled machine sends the eleven: then try with a fresh principal
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String principal = principal();
            List<RateLimitDecision> decisions = send(limiter, principal, 11);

            for (int i = 0; i < 10; i++) {
                RateLimitDecision allowed = decisions.get(i);
                assertThat(allowed.allowed()).as("request %d", i + 1).isTrue();
                assertThat(allowed.tier()).isEqualTo(new Tier(10, Duration.ofSeconds(1)));
                assertThat(allowed.remaining()).as("remaining after request %d", i + 1).isEqualTo(9 - i);
                assertThat(allowed.resetSeconds()).isEqualTo(1);
            }
            RateLimitDecision refused = decisions.get(10);
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.tier()).isEqualTo(new Tier(10, Duration.ofSeconds(1)));
            assertThat(refused.remaining()).isZero();
            assertThat(refused.resetSeconds()).isEqualTo(1);
            assertThat(count(principal, new Tier(50, Duration.ofSeconds(10))))
                    .as("the refused request is counted in no tier").isEqualTo("10");
        });
    }

    @Test
    void oncePastTheShortTier_theLongerTierClosestToExhaustion_isTold_andRefusesWithItsLongerReset() {
        RateLimiter limiter = new RateLimiter(redis, RateLimitTiers.parse("3/1s,5/1m"));
        String principal = principal();
        Tier minute = new Tier(5, Duration.ofMinutes(1));
        send(limiter, principal, 3);
        AtomicReference<RateLimitDecision> fourth = new AtomicReference<>();

        // refused until the second is over; refusals count in no tier
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            fourth.set(limiter.acquire(principal).orElseThrow());
            return fourth.get().allowed();
        });
        RateLimitDecision fifth = limiter.acquire(principal).orElseThrow();
        RateLimitDecision sixth = limiter.acquire(principal).orElseThrow();

        assertThat(fourth.get().tier()).isEqualTo(minute);
        assertThat(fourth.get().remaining()).isEqualTo(1);
        assertThat(fifth.allowed()).isTrue();
        assertThat(fifth.tier()).isEqualTo(minute);
        assertThat(fifth.remaining()).isZero();
        assertThat(sixth.allowed()).isFalse();
        assertThat(sixth.tier()).isEqualTo(minute);
        assertThat(sixth.resetSeconds()).isBetween(2L, 60L);
        assertThat(count(principal, minute)).isEqualTo("5");
    }

    @Test
    void principals_doNotShareCounters() {
        RateLimiter limiter = new RateLimiter(redis, RateLimitTiers.parse("2/1m"));
        String ana = principal();
        String key = "key:" + UUID.randomUUID();

        List<RateLimitDecision> anas = send(limiter, ana, 3);
        RateLimitDecision keys = limiter.acquire(key).orElseThrow();

        assertThat(anas).extracting(RateLimitDecision::allowed).containsExactly(true, true, false);
        assertThat(keys.allowed()).isTrue();
        assertThat(keys.remaining()).isEqualTo(1);
    }

    @Test
    void counters_expireWithTheirWindow_andTheirKeysCarryNoPrincipalName() {
        RateLimiter limiter = new RateLimiter(redis, RateLimitTiers.parse("1/1s,100/1h"));
        String principal = "key:" + UUID.randomUUID();
        Tier second = new Tier(1, Duration.ofSeconds(1));
        Tier hour = new Tier(100, Duration.ofHours(1));

        assertThat(limiter.acquire(principal).orElseThrow().allowed()).isTrue();

        String secondKey = RateLimiter.key(principal, second);
        assertThat(secondKey).startsWith("fleet:ratelimit:{").endsWith("}:1s").doesNotContain(principal.substring(4));
        assertThat(redis.getKeys().remainTimeToLive(secondKey)).isBetween(1L, 1_000L);
        assertThat(redis.getKeys().remainTimeToLive(RateLimiter.key(principal, hour))).isBetween(1_000L, 3_600_000L);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.getKeys().countExists(secondKey) == 0);
        RateLimitDecision again = limiter.acquire(principal).orElseThrow();
        assertThat(again.allowed()).isTrue();
        assertThat(count(principal, hour)).isEqualTo("2");
    }

    @Test
    void whenRedisIsUnreachable_requestsAreServedUncounted_andRedisIsLeftAloneForAWhile() {
        RedissonClient nowhere = client("redis://127.0.0.1:" + Ports.free());
        try {
            AtomicLong clock = new AtomicLong();
            RateLimiter limiter = new RateLimiter(nowhere, RateLimitTiers.parse("10/1s"), clock::get);

            assertThat(limiter.acquire(principal())).isEmpty();
            assertThat(limiter.acquire(principal())).isEmpty();
            clock.addAndGet(RedisCircuit.PAUSE.toNanos());
            assertThat(limiter.acquire(principal())).isEmpty();
        } finally {
            stop(nowhere);
        }
    }

    @Test
    void whenRedisComesBack_requestsAreCountedAgain(@TempDir Path dir) {
        int port = Ports.free();
        RedissonClient later = client("redis://127.0.0.1:" + port);
        AtomicLong clock = new AtomicLong();
        // a window far longer than the test: no count can expire between the two looks below
        RateLimiter limiter = new RateLimiter(later, RateLimitTiers.parse("10/1h"), clock::get);
        String principal = principal();
        try {
            assertThat(limiter.acquire(principal)).isEmpty();

            try (EmbeddedRedisServer server = EmbeddedRedisServer.start(dir, port)) {
                AtomicReference<RateLimitDecision> first = new AtomicReference<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    clock.addAndGet(RedisCircuit.PAUSE.toNanos());
                    limiter.acquire(principal).ifPresent(first::set);
                    return first.get() != null;
                });
                // counted again: fewer remain. (A try that gave up waiting may still be counted once Redis gets it,
                // at any moment, so fewer may remain than one less.)
                assertThat(limiter.acquire(principal).orElseThrow().remaining()).isLessThan(first.get().remaining());
            }
        } finally {
            stop(later);
        }
    }

    @Test
    void aRedisThatDoesNotAnswer_isNotWaitedFor() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread listener = new Thread(() -> swallow(silent), "silent-redis");
            listener.setDaemon(true);
            listener.start();
            RedissonClient mute = client("redis://127.0.0.1:" + silent.getLocalPort());
            try {
                RateLimiter limiter = new RateLimiter(mute, RateLimitTiers.parse("10/1s"));

                assertThat(limiter.acquire(principal())).isEmpty();
            } finally {
                stop(mute);
            }
        }
    }

    /** Accepts connections and reads what comes, answering nothing. */
    private static void swallow(ServerSocket server) {
        List<Socket> open = new ArrayList<>();
        try {
            while (true) {
                Socket socket = server.accept();
                open.add(socket);
                Thread reader = new Thread(() -> {
                    try (InputStream in = socket.getInputStream()) {
                        in.transferTo(OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        // closed by the test
                    }
                }, "silent-redis-connection");
                reader.setDaemon(true);
                reader.start();
            }
        } catch (IOException closed) {
            for (Socket socket : open) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }

    private static List<RateLimitDecision> send(RateLimiter limiter, String principal, int requests) {
        List<RateLimitDecision> decisions = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            decisions.add(limiter.acquire(principal).orElseThrow());
        }
        return decisions;
    }

    private static String count(String principal, Tier tier) {
        return String.valueOf(redis.<String>getBucket(RateLimiter.key(principal, tier), StringCodec.INSTANCE).get());
    }

    private static String principal() {
        return "user:" + UUID.randomUUID();
    }

    /** Without waiting for the connection attempts a client without Redis may still be making. */
    private static void stop(RedissonClient client) {
        client.shutdown(0, 1, TimeUnit.SECONDS);
    }

    /** A client set up like the gateway's (FleetRedisAutoConfiguration). */
    private static RedissonClient client(String url) {
        Config config = new Config();
        config.setLazyInitialization(true);
        config.useSingleServer().setAddress(url).setConnectionMinimumIdleSize(2).setConnectionPoolSize(8)
                .setSubscriptionConnectionMinimumIdleSize(1).setConnectTimeout(2000).setRetryAttempts(3);
        return Redisson.create(config);
    }
}
