package io.fleetstream.gateway.proxy;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies an event stream from the query service to a client without holding a thread while the stream
 * is idle: the upstream body arrives as a {@link Flow.Publisher}, the client side is written with the
 * servlet's non-blocking output ({@link WriteListener}).
 *
 * <p>Back-pressure runs end to end: the next chunk is requested from upstream only once everything
 * received so far has been written, so a client that stops reading holds at most one chunk here, and the
 * query service (which drops its slowest subscribers) sees the stall. Whatever ends first (upstream
 * closes, the client leaves, a write fails) ends both sides, once.
 */
final class StreamRelay implements Flow.Subscriber<List<ByteBuffer>>, WriteListener, AsyncListener {

    private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final Consumer<StreamRelay> onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile long lastHeard = System.nanoTime();
    /** Guards the fields below: the container's and the HTTP client's threads both arrive here. */
    private final Object lock = new Object();
    private final Deque<ByteBuffer> pending = new ArrayDeque<>();
    private Flow.Subscription subscription;
    private boolean requested;
    private boolean upstreamDone;
    private boolean writable;
    /** Bytes written to the response but maybe not flushed (the flush waits while the client is not ready). */
    private boolean unflushed;

    StreamRelay(AsyncContext async, Consumer<StreamRelay> onEnd) throws IOException {
        this.async = async;
        this.out = async.getResponse().getOutputStream();
        this.onEnd = onEnd;
        async.addListener(this);
    }

    // --- upstream: the query service's body ----------------------------------------------------------

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        synchronized (lock) {
            this.subscription = subscription;
        }
        if (ended.get()) {
            subscription.cancel(); // ended before upstream was attached (the gateway is stopping)
            return;
        }
        try {
            // from here on, writes happen only when the container says the client can take them
            out.setWriteListener(this);
        } catch (RuntimeException completedMeanwhile) {
            end(); // the request was completed a moment ago (the gateway stopped, the client left)
        }
    }

    @Override
    public void onNext(List<ByteBuffer> chunk) {
        lastHeard = System.nanoTime();
        synchronized (lock) {
            requested = false;
            pending.addAll(chunk);
        }
        drain();
    }

    @Override
    public void onComplete() {
        boolean nothingLeft;
        synchronized (lock) {
            upstreamDone = true;
            nothingLeft = pending.isEmpty();
        }
        if (nothingLeft) {
            end(); // even if the client cannot take writes now: there is nothing more to give it
        } else {
            drain();
        }
    }

    /** Both interfaces name it alike: upstream failed (Flow), or a write to the client failed (WriteListener). */
    @Override
    public void onError(Throwable error) {
        log.debug("event stream ended: {}", error.toString());
        end();
    }

    // --- downstream: the client ----------------------------------------------------------------------

    @Override
    public void onWritePossible() {
        synchronized (lock) {
            writable = true;
        }
        drain();
    }

    /**
     * The client left (a write failed, or the container noticed). The request must be completed here, on
     * the container's call, even if it was completed from another thread a moment ago: otherwise the
     * container dispatches it to the error page, which cannot write to an event stream.
     */
    @Override
    public void onError(AsyncEvent event) {
        complete();
        end();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        complete();
        end();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        end();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // nothing: the relay is registered once the request is already asynchronous
    }

    // -------------------------------------------------------------------------------------------------

    /**
     * Writes what is pending while the client can take it; then either waits for the container to call
     * {@link #onWritePossible()} or asks upstream for more.
     */
    private void drain() {
        boolean finish = false;
        boolean askForMore = false;
        Flow.Subscription upstream;
        synchronized (lock) {
            if (ended.get() || !writable) {
                return;
            }
            upstream = subscription;
            try {
                boolean ready;
                while ((ready = out.isReady())) {
                    ByteBuffer next = pending.poll();
                    if (next == null) {
                        if (unflushed) {
                            unflushed = false;
                            out.flush(); // each event reaches the client as soon as it arrived here
                            continue; // and only once it has gone is more asked for
                        }
                        finish = upstreamDone;
                        askForMore = !upstreamDone && !requested && upstream != null;
                        requested |= askForMore;
                        break;
                    }
                    byte[] bytes = new byte[next.remaining()];
                    next.get(bytes);
                    out.write(bytes);
                    unflushed = true;
                }
                if (!ready) {
                    writable = false; // the container calls onWritePossible once the client took what it has
                }
            } catch (IOException | IllegalStateException clientGone) {
                finish = true;
            }
        }
        if (finish) {
            end();
        } else if (askForMore) {
            upstream.request(1); // outside the lock: the client may deliver the next chunk on this thread
        }
    }

    boolean isEnded() {
        return ended.get();
    }

    /** Nothing came from upstream (not even a keep-alive) for that long: the connection is presumably gone. */
    boolean silentFor(Duration quiet) {
        return System.nanoTime() - lastHeard > quiet.toNanos();
    }

    /** Ends both sides, once; from any thread. */
    void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        Flow.Subscription upstream;
        synchronized (lock) {
            upstream = subscription;
            pending.clear();
        }
        if (upstream != null) {
            upstream.cancel();
        }
        complete();
        onEnd.accept(this);
    }

    private void complete() {
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // completed already (by us or by the container): nothing left to do
        }
    }
}
