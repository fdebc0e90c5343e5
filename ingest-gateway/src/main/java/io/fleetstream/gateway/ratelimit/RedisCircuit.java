package io.fleetstream.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the rate limiter off a Redis that just failed it: for {@link #PAUSE} after a failure requests are
 * served without asking, then one request tries again while the others still pass by. So a dead Redis
 * costs one short timeout per pause, not one per request, and the log gets a warning a minute at most.
 */
final class RedisCircuit {

    static final Duration PAUSE = Duration.ofSeconds(5);
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);
    private static final long CLOSED = Long.MIN_VALUE;
    private static final Logger log = LoggerFactory.getLogger(RedisCircuit.class);

    private final LongSupplier nanoClock;
    /** The nano time from which Redis is tried again; {@link #CLOSED} while it answers. */
    private final AtomicLong retryAt = new AtomicLong(CLOSED);
    private final AtomicLong nextWarningAt;
    private final LongAdder unlimited = new LongAdder();

    RedisCircuit(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.nextWarningAt = new AtomicLong(nanoClock.getAsLong());
    }

    /** Whether this request should ask Redis; false while paused, and for all but one once the pause is over. */
    boolean tryCall() {
        long at = retryAt.get();
        if (at == CLOSED) {
            return true;
        }
        long now = nanoClock.getAsLong();
        // the one that moves the retry time on is the one that tries: the others keep passing by until it knows
        if (now - at >= 0 && retryAt.compareAndSet(at, now + PAUSE.toNanos())) {
            return true;
        }
        unlimited.increment();
        return false;
    }

    void succeeded() {
        if (retryAt.get() != CLOSED && retryAt.getAndSet(CLOSED) != CLOSED) {
            log.info("Redis answers the rate limiter again: rate limits apply again ({} requests were served "
                    + "without them)", unlimited.sumThenReset());
        }
    }

    void failed(Throwable cause) {
        long now = nanoClock.getAsLong();
        retryAt.set(now + PAUSE.toNanos());
        unlimited.increment();
        long warnAt = nextWarningAt.get();
        if (now - warnAt >= 0 && nextWarningAt.compareAndSet(warnAt, now + WARN_EVERY.toNanos())) {
            log.warn("Redis does not answer the rate limiter ({}): requests are served without rate limits ({} so "
                    + "far); Redis is tried again every {} s", describe(cause), unlimited.sum(), PAUSE.toSeconds());
        } else {
            log.debug("Redis does not answer the rate limiter ({})", describe(cause));
        }
    }

    /** The failure in one short line: Redisson's timeouts repeat the whole script, and an address may carry a password. */
    static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root.getMessage() == null) {
            return root.getClass().getSimpleName();
        }
        String message = root.getMessage().replaceAll("//[^/@\\s]*@", "//");
        if (message.length() > 120) {
            message = message.substring(0, 120) + "…";
        }
        return root.getClass().getSimpleName() + ": " + message;
    }
}
