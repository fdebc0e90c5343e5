package io.fleetstream.gateway.proxy;

import io.fleetstream.gateway.GatewayProperties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The event streams this gateway relays: at most {@code fleet.gateway.max-streams} at once (each is a
 * connection to the query service), and all of them ended when the gateway stops, so that clients
 * reconnect elsewhere at once and the web server's graceful shutdown is not held up by streams that
 * never finish by themselves.
 */
@Component
class OpenStreams implements SmartLifecycle {

    private final Semaphore capacity;
    private final Set<StreamRelay> relays = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    OpenStreams(GatewayProperties properties) {
        this.capacity = new Semaphore(properties.maxStreams());
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
    }

    /** Called once by every relay when it ends. */
    void ended(StreamRelay relay) {
        relays.remove(relay);
        capacity.release();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
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
