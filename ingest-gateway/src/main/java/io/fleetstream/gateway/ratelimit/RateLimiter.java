package io.fleetstream.gateway.ratelimit;

import io.fleetstream.gateway.ratelimit.RateLimitTiers.Tier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.OptionalOptions;
import org.redisson.client.codec.StringCodec;

/**
 * Counts each principal's requests in Redis, so that every gateway instance counts against the same
 * quota: one script call per request checks and counts all tiers atomically.
 *
 * <p>Windows are fixed, and start with the first request a principal sends after the last one ended: a
 * tier's counter is created with the window as its expiry and counts until Redis drops it. Against a
 * sliding log (a sorted set of every request's time) this keeps one integer per tier and principal instead
 * of up to a limit's worth of entries, and it needs no clock of the gateways' own: Redis's expiry is the
 * clock, the same for every instance whatever theirs say, and the counter's remaining time to live is
 * exactly the RateLimit-Reset to answer. Against a sliding-window estimate it answers exact remainders,
 * not weighted guesses. The price is the fixed window's edge: a client may send a tier's limit at the end
 * of one window and again at the start of the next; the longer tiers bound what such bursts add up to.
 *
 * <p>A refused request is counted in no tier (the script checks every tier before it counts any), so a
 * client that retries too eagerly is held back only until the exhausted window ends, not locked out of
 * the longer ones by its own refusals.
 *
 * <p>Keys are {@code fleet:ratelimit:{<principal hash>}:<window seconds>s}: the hash (SHA-256, not the
 * principal's name, so no credential a name might carry ever reaches Redis) is a hash tag, which keeps a
 * principal's keys in one slot as a multi-key script needs in Redis Cluster. Every key expires with its
 * window.
 *
 * <p>Redis is a help here, not a dependency: when it fails, or has not answered within
 * {@link #HARD_TIMEOUT}, the request is served uncounted, and {@link RedisCircuit} keeps the next requests
 * off Redis for a few seconds.
 */
final class RateLimiter {

    /** Longest a request waits for Redis: the script takes microseconds, so longer means Redis is in trouble. */
    static final Duration TIMEOUT = Duration.ofMillis(200);
    /** The longest a request waits in all: Redisson's timeout starts once the script is sent, this one at once. */
    private static final Duration HARD_TIMEOUT = TIMEOUT.plusMillis(100);
    static final String KEY_PREFIX = "fleet:ratelimit:";
    /** Requests whose scripts may wait to be sent; more are served uncounted (the thread is stuck connecting). */
    private static final int QUEUE = 1_000;

    /**
     * KEYS[i] counts tier i; ARGV[2i-1] is its limit, ARGV[2i] its window in ms. Answers whether the request
     * is refused (1) or counted (0), then per tier its count and the ms until its window ends.
     */
    private static final String SCRIPT = """
            local refused = 0
            local counts = {}
            for i = 1, #KEYS do
              counts[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
              if counts[i] >= tonumber(ARGV[2 * i - 1]) then
                refused = 1
              end
            end
            local answer = {refused}
            for i = 1, #KEYS do
              local window = tonumber(ARGV[2 * i])
              if refused == 0 then
                counts[i] = redis.call('INCR', KEYS[i])
                if counts[i] == 1 then
                  redis.call('PEXPIRE', KEYS[i], window)
                end
              end
              local ttl = redis.call('PTTL', KEYS[i])
              if ttl == -1 then
                -- a counter must never outlive its window, whatever left it without an expiry
                redis.call('PEXPIRE', KEYS[i], window)
                ttl = window
              end
              answer[#answer + 1] = counts[i]
              answer[#answer + 1] = ttl
            end
            return answer
            """;

    private final RateLimitTiers tiers;
    private final RScript script;
    private final RedisCircuit circuit;
    private final Object[] arguments;
    /**
     * Where the script is sent from. Redisson connects on its first call (the client is lazy, so that no
     * service waits for Redis to start), and while it cannot, it keeps the calling thread for seconds: that
     * thread is this one, never a request's, which waits {@link #HARD_TIMEOUT} at most and is then served.
     */
    private final ThreadPoolExecutor calls;

    RateLimiter(RedissonClient redis, RateLimitTiers tiers) {
        this(redis, tiers, System::nanoTime);
    }

    RateLimiter(RedissonClient redis, RateLimitTiers tiers, LongSupplier nanoClock) {
        if (!tiers.enabled()) {
            throw new IllegalArgumentException("no tiers to count");
        }
        this.tiers = tiers;
        // no retries: a request that waited TIMEOUT once is served, not kept waiting for a second try
        this.script = redis.getScript(OptionalOptions.defaults().codec(StringCodec.INSTANCE).timeout(TIMEOUT)
                .retryAttempts(0));
        this.circuit = new RedisCircuit(nanoClock);
        this.calls = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(QUEUE),
                task -> {
                    Thread thread = new Thread(task, "rate-limit-redis");
                    thread.setDaemon(true);
                    return thread;
                });
        // sending takes microseconds: the thread is busy for longer only while Redisson is stuck connecting
        calls.allowCoreThreadTimeOut(true);
        this.arguments = tiers.tiers().stream()
                .flatMap(tier -> Stream.of(Long.toString(tier.limit()), Long.toString(tier.window().toMillis())))
                .toArray();
    }

    /** Counts a request of the principal; empty when it could not be counted (Redis away), to be served anyway. */
    Optional<RateLimitDecision> acquire(String principal) {
        if (!circuit.tryCall()) {
            return Optional.empty();
        }
        CompletableFuture<List<Object>> answer = new CompletableFuture<>();
        try {
            calls.execute(() -> call(principal, answer));
            RateLimitDecision decision = decide(answer.get(HARD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            circuit.succeeded();
            return Optional.of(decision);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            circuit.failed(e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            answer.cancel(false);
            circuit.failed(e);
        }
        return Optional.empty();
    }

    private void call(String principal, CompletableFuture<List<Object>> answer) {
        if (answer.isDone()) {
            return; // its request was served while this waited for a thread stuck in connecting
        }
        try {
            script.<List<Object>>evalAsync(RScript.Mode.READ_WRITE, SCRIPT, RScript.ReturnType.LIST, keys(principal),
                    arguments).whenComplete((result, error) -> {
                        if (error != null) {
                            answer.completeExceptionally(error);
                        } else {
                            answer.complete(result);
                        }
                    });
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        }
    }

    private RateLimitDecision decide(List<Object> answer) {
        int n = tiers.tiers().size();
        if (answer == null || answer.size() != 1 + 2 * n) {
            throw new IllegalStateException("unexpected answer of the rate limit script: " + answer);
        }
        long[] counts = new long[n];
        long[] ttls = new long[n];
        for (int i = 0; i < n; i++) {
            counts[i] = number(answer.get(1 + 2 * i));
            ttls[i] = number(answer.get(2 + 2 * i));
        }
        return RateLimitDecision.of(tiers, number(answer.get(0)) == 1, counts, ttls);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
    }

    private List<Object> keys(String principal) {
        List<Object> keys = new ArrayList<>(tiers.tiers().size());
        for (Tier tier : tiers.tiers()) {
            keys.add(key(principal, tier));
        }
        return keys;
    }

    /** The counter of one tier of a principal. */
    static String key(String principal, Tier tier) {
        return KEY_PREFIX + "{" + hash(principal) + "}:" + tier.window().toSeconds() + "s";
    }

    private static String hash(String principal) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(principal.getBytes(StandardCharsets.UTF_8));
            // 128 bits: no two principals of any fleet share a counter
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
