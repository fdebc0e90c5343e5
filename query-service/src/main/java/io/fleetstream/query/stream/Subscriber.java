package io.fleetstream.query.stream;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open event stream: events queue up (bounded) and are written by a shared pool, one writer at a time
 * per stream, so a slow client delays only itself. A client that falls too far behind is disconnected; it
 * reconnects and reads the current state.
 */
final class Subscriber {

    private static final int BACKLOG = 256;

    private final SseEmitter emitter;
    private final Executor writers;
    private final Runnable onGone;
    private final ArrayBlockingQueue<SseEmitter.SseEventBuilder> queue = new ArrayBlockingQueue<>(BACKLOG);
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicBoolean gone = new AtomicBoolean();

    private volatile io.fleetstream.support.access.Grant grant;

    Subscriber(SseEmitter emitter, Executor writers, Runnable onGone, io.fleetstream.support.access.Grant grant) {
        this.grant = grant;
        this.emitter = emitter;
        this.writers = writers;
        this.onGone = onGone;
    }

    /** What the caller may see, as last checked. */
    io.fleetstream.support.access.Grant grant() {
        return grant;
    }

    void grant(io.fleetstream.support.access.Grant current) {
        grant = current;
    }

    void offer(SseEmitter.SseEventBuilder event) {
        if (gone.get()) {
            return;
        }
        if (!queue.offer(event)) {
            end(); // too far behind
            return;
        }
        schedule();
    }

    private void schedule() {
        if (writing.compareAndSet(false, true)) {
            try {
                writers.execute(this::write);
            } catch (RejectedExecutionException e) {
                writing.set(false); // shutting down
            }
        }
    }

    private void write() {
        try {
            for (SseEmitter.SseEventBuilder event = queue.poll(); event != null && !gone.get(); event = queue.poll()) {
                emitter.send(event);
            }
        } catch (IOException | IllegalStateException e) {
            end(); // the client went away
        } finally {
            writing.set(false);
        }
        if (!queue.isEmpty() && !gone.get()) {
            schedule();
        }
    }

    void end() {
        if (gone.compareAndSet(false, true)) {
            queue.clear();
            onGone.run();
            try {
                emitter.complete();
            } catch (IllegalStateException e) {
                // already completed
            }
        }
    }
}
