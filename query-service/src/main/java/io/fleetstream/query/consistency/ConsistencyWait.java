package io.fleetstream.query.consistency;

import io.fleetstream.query.QueryProperties;
import io.fleetstream.query.device.DeviceQueries;
import io.fleetstream.schemas.ConsistencyToken;
import io.fleetstream.support.security.Caller;
import io.fleetstream.support.security.FleetSecurityProperties;
import io.fleetstream.support.web.FleetException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Read-your-writes: a request carrying {@code Fleet-Consistency} is held until the read model has
 * applied the version it names, for at most {@code fleet.query.consistency-timeout}; past that it is
 * answered 503 with Retry-After rather than with data older than the caller's own write.
 */
@Component
class ConsistencyWait implements HandlerInterceptor {

    private static final long POLL_NANOS = 20_000_000L;

    private final DeviceQueries devices;
    private final QueryProperties properties;
    private final FleetSecurityProperties security;
    /** Each waiter holds a request thread: bounded, so waiting can never starve the service. */
    private final Semaphore waiters;
    private final Map<String, Integer> waitingPerWorkspace = new ConcurrentHashMap<>();

    ConsistencyWait(DeviceQueries devices, QueryProperties properties, FleetSecurityProperties security) {
        this.devices = devices;
        this.properties = properties;
        this.security = security;
        this.waiters = new Semaphore(properties.consistencyWaiters());
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String header = request.getHeader(ConsistencyToken.HEADER);
        if (header == null || header.isBlank()) {
            return true;
        }
        ConsistencyToken token = ConsistencyToken.parse(header)
                .filter(t -> t.aggregateType().equals("device"))
                .orElseThrow(() -> new FleetException(ConsistencyErrors.INVALID, "'" + truncate(header) + "' is not a consistency token."));
        // Only the caller's own workspace counts: another workspace's device looks exactly like one not yet projected.
        String workspace = Caller.current(security).workspaceId();
        if (reached(workspace, token)) {
            return true;
        }
        if (devices.version(workspace, token.aggregateId()).isPresent() && devices.hasParkedEvents(token.aggregateId())) {
            // it will not be reached by waiting: say so at once instead of after the timeout (only of a device the
            // caller's workspace has: a registration that was parked looks exactly like one not projected yet)
            throw new FleetException(ConsistencyErrors.PARKED, "The read model parked the changes of " + token.aggregateId()
                    + "; " + token + " is not applied.", Map.of("consistency", token.toString()));
        }
        if (waitingPerWorkspace.merge(workspace, 1, Integer::sum) > properties.consistencyWaitersPerWorkspace()) {
            release(workspace);
            response.setHeader("Retry-After", "1");
            throw new FleetException(ConsistencyErrors.TIMEOUT, "Too many reads of your workspace are waiting; " + token
                    + " is not applied yet.", Map.of("consistency", token.toString()));
        }
        if (!waiters.tryAcquire()) {
            release(workspace);
            response.setHeader("Retry-After", "1");
            throw new FleetException(ConsistencyErrors.TIMEOUT, "Too many reads are waiting; " + token + " is not applied yet.",
                    Map.of("consistency", token.toString()));
        }
        try {
            long deadline = System.nanoTime() + properties.consistencyTimeout().toNanos();
            while (!reached(workspace, token)) {
                if (System.nanoTime() > deadline) {
                    response.setHeader("Retry-After", "1");
                    throw new FleetException(ConsistencyErrors.TIMEOUT, "The read model has not yet applied " + token + ".",
                            Map.of("consistency", token.toString()));
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
            return true;
        } finally {
            waiters.release();
            release(workspace);
        }
    }

    /** A workspace that waits for nothing holds no entry. */
    private void release(String workspace) {
        waitingPerWorkspace.computeIfPresent(workspace, (w, waiting) -> waiting == 1 ? null : waiting - 1);
    }

    private boolean reached(String workspace, ConsistencyToken token) {
        return devices.version(workspace, token.aggregateId()).orElse(-1L) >= token.version();
    }

    private static String truncate(String value) {
        return value.length() > 80 ? value.substring(0, 80) + "…" : value;
    }
}
