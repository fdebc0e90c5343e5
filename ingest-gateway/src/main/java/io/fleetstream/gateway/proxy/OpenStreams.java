package io.fleetstream.gateway.proxy;

import io.fleetstream.gateway.GatewayProperties;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The event streams this gateway relays: at most {@code fleet.gateway.max-streams} at once (each is a
 * connection to the query service); a stream whose upstream falls silent for
 * {@code fleet.gateway.stream-idle-timeout} is ended (the query service sends keep-alives, so silence
 * means a dead connection); and all of them are ended when the gateway stops, so that clients
 * reconnect elsewhere at once and the web server's graceful shutdown is not held up by streams that
 * never finish by themselves.
 */
@Component
class OpenStreams implements SmartLifecycle {

    private final Semaphore capacity;
    private final Set<StreamRelay> relays = ConcurrentHashMap.newKeySet();
    private final Duration idleTimeout;
    private volatile boolean running;
    private ScheduledExecutorService watchdog;

    OpenStreams(GatewayProperties properties, MeterRegistry metrics) {
        this.capacity = new Semaphore(properties.maxStreams());
        this.idleTimeout = properties.streamIdleTimeout();
        int max = properties.maxStreams();
        Gauge.builder("fleet.gateway.streams", capacity, c -> max - c.availablePermits())
                .description("event streams relayed (or being opened) now").register(metrics);
    }

    /** Takes a place for a new stream; false when the gateway is full or stopping. */
    boolean reserve() {
        return running && capacity.tryAcquire();
    }

    /** Gives back a place taken for a stream that never started relaying. */
    void cancel() {
        capacity.release();
    }

    void relaying(StreamRelay relay) {
        relays.add(relay);
        if (!running) {
            relay.end(); // stopped meanwhile
        }
        if (relay.isEnded()) {
            relays.remove(relay); // it ended before it was added here
        }
    }

    /** Called once by every relay when it ends. */
    void ended(StreamRelay relay) {
        relays.remove(relay);
        capacity.release();
    }

    /** Ends relays whose upstream fell silent: the query service sends keep-alives, so silence means a dead link. */
    private void endSilent() {
        relays.stream().filter(relay -> relay.silentFor(idleTimeout)).forEach(StreamRelay::end);
    }

    @Override
    public void start() {
        running = true;
        watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stream-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, idleTimeout.toSeconds() / 4);
        watchdog.scheduleWithFixedDelay(this::endSilent, every, every, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        running = false;
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        relays.forEach(StreamRelay::end);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first, before the web server waits for the requests still open. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
