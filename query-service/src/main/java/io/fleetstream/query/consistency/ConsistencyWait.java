package io.fleetstream.query.consistency;

import io.fleetstream.support.errors.ConsistencyErrors;
import io.fleetstream.query.QueryProperties;
import io.fleetstream.query.history.AggregateHistory;
import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.schemas.ConsistencyToken;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.WorkspaceGrants;
import io.fleetstream.support.access.WorkspaceRoutes;
import io.fleetstream.support.security.Principal;
import org.springframework.web.servlet.HandlerMapping;
import io.fleetstream.support.security.Person;
import java.util.function.BooleanSupplier;
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

    private static final String PLATFORM = Person.PLATFORM_WORKSPACE;

    private final AggregateHistory versions;
    private final WorkspaceGrants grants;
    private final QueryProperties properties;
    private final FleetSecurityProperties security;
    /** Each waiter holds a request thread: bounded, so waiting can never starve the service. */
    private final Semaphore waiters;
    private final Map<String, Integer> waitingPerWorkspace = new ConcurrentHashMap<>();

    ConsistencyWait(AggregateHistory versions, QueryProperties properties, FleetSecurityProperties security,
            WorkspaceGrants grants) {
        this.versions = versions;
        this.grants = grants;
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
                .filter(t -> CommandSpec.aggregateTypes().contains(t.aggregateType())) // no write ever made another
                .orElseThrow(() -> new FleetException(ConsistencyErrors.INVALID, "'" + truncate(header) + "' is not a consistency token."));
        // Only the caller's own workspace counts: another workspace's aggregate looks exactly like one not yet projected.
        Scope scope = scope(token, request);
        String workspace = scope.workspace();
        if (reached(scope, token)) {
            return true;
        }
        if (scope.visible().getAsBoolean() && version(workspace, token).isPresent() && versions.hasParkedEvents(token.aggregateId().toString())) {
            // it will not be reached by waiting: say so at once instead of after the timeout (only of a device the
            // caller's workspace has: a creation that was parked looks exactly like one not projected yet)
            throw new FleetException(ConsistencyErrors.PARKED, "The read model parked the changes of " + token.aggregateId()
                    + "; " + token + " is not applied.", Map.of("consistency", token.toString()));
        }
        // waits are counted per waiter (a person, or the workspace a token names), not per what is waited for:
        // nobody can use up the waits of a workspace they do not belong to
        String waiter = scope.waiter();
        if (waitingPerWorkspace.merge(waiter, 1, Integer::sum) > properties.consistencyWaitersPerWorkspace()) {
            release(waiter);
            response.setHeader("Retry-After", "1");
            throw new FleetException(ConsistencyErrors.TIMEOUT, "Too many of your reads are waiting; " + token
                    + " is not applied yet.", Map.of("consistency", token.toString()));
        }
        if (!waiters.tryAcquire()) {
            release(waiter);
            response.setHeader("Retry-After", "1");
            throw new FleetException(ConsistencyErrors.TIMEOUT, "Too many reads are waiting; " + token + " is not applied yet.",
                    Map.of("consistency", token.toString()));
        }
        try {
            long deadline = System.nanoTime() + properties.consistencyTimeout().toNanos();
            while (!reached(scope, token)) {
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
            release(waiter);
        }
    }

    /** A workspace that waits for nothing holds no entry. */
    private void release(String workspace) {
        waitingPerWorkspace.computeIfPresent(workspace, (w, waiting) -> waiting == 1 ? null : waiting - 1);
    }

    private boolean reached(Scope scope, ConsistencyToken token) {
        return scope.visible().getAsBoolean() && version(scope.workspace(), token).orElse(-1L) >= token.version();
    }

    /** Where an aggregate must be for the caller to see it, and whether they may see it at all. */
    private record Scope(String workspace, BooleanSupplier visible, String waiter) {
    }

    /**
     * A person waits for their own user; anyone for a workspace they may see (a platform administrator for any);
     * for everything else, for what is in the workspace the request's path names, when they may see it.
     * Anything else looks exactly like what does not exist yet.
     */
    private Scope scope(ConsistencyToken token, HttpServletRequest request) {
        String id = token.aggregateId().toString();
        Principal principal = Principal.current(security);
        switch (token.aggregateType()) {
            case "user" -> {
                boolean own = principal instanceof Person person && id.equals(person.userId().toString());
                return new Scope(PLATFORM, () -> own, principal.key());
            }
            case "workspace" -> {
                // not remembered: a workspace created a moment ago becomes visible while the caller waits
                return new Scope(id, () -> grants.lookUp(principal, id).isPresent(), principal.key());
            }
            default -> {
                @SuppressWarnings("unchecked")
                Map<String, String> variables = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
                String named = variables == null ? null : variables.get(WorkspaceRoutes.VARIABLE);
                java.util.Optional<Grant> grant = named == null ? java.util.Optional.empty() : grants.find(principal, named);
                return grant.map(g -> new Scope(g.workspaceId().toString(), () -> true, principal.key()))
                        .orElseGet(() -> new Scope("", () -> false, principal.key()));
            }
        }
    }

    /** Any aggregate's version, as its own projection recorded it with its rows. */
    private java.util.Optional<Long> version(String workspace, ConsistencyToken token) {
        return versions.version(workspace, token.aggregateType(), token.aggregateId().toString());
    }

    private static String truncate(String value) {
        return value.length() > 80 ? value.substring(0, 80) + "…" : value;
    }
}
