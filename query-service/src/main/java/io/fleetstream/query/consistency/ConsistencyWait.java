package io.fleetstream.query.consistency;

import io.fleetstream.support.errors.ConsistencyErrors;
import io.fleetstream.query.QueryProperties;
import io.fleetstream.query.history.AggregateHistory;
import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.schemas.ConsistencyToken;
import io.fleetstream.query.workspace.WorkspaceAccess;
import io.fleetstream.support.security.Caller;
import io.fleetstream.support.security.Person;
import java.util.function.BooleanSupplier;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
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
    private final WorkspaceAccess access;
    private final QueryProperties properties;
    private final FleetSecurityProperties security;
    /** Each waiter holds a request thread: bounded, so waiting can never starve the service. */
    private final Semaphore waiters;
    private final Map<String, Integer> waitingPerWorkspace = new ConcurrentHashMap<>();

    ConsistencyWait(AggregateHistory versions, QueryProperties properties, FleetSecurityProperties security,
            WorkspaceAccess access) {
        this.versions = versions;
        this.access = access;
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
        Scope scope = scope(token);
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
     * A person waits for their own user, and for a workspace they are a member of (or any, when they
     * administer the platform); a token naming a workspace (the first version's tokens) scopes the waits for
     * devices to it. Anything else looks exactly like what does not exist yet.
     */
    private Scope scope(ConsistencyToken token) {
        String id = token.aggregateId().toString();
        switch (token.aggregateType()) {
            case "user" -> {
                Person person = Person.current(security);
                return new Scope(PLATFORM, () -> id.equals(person.userId().toString()), person.userId().toString());
            }
            case "workspace" -> {
                Person person = Person.current(security);
                return new Scope(id, () -> access.mayRead(person, token.aggregateId()), person.userId().toString());
            }
            default -> {
                // the first version's aggregates live in the workspace the token names
                if (!hasWorkspaceClaim()) {
                    return new Scope("", () -> false, Person.current(security).userId().toString());
                }
                String workspace = Caller.current(security).workspaceId();
                return new Scope(workspace, () -> true, workspace);
            }
        }
    }

    private boolean hasWorkspaceClaim() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken jwt
                && jwt.getToken().getClaims().containsKey(security.workspaceClaim());
    }

    /** Any aggregate's version, as its own projection recorded it with its rows. */
    private java.util.Optional<Long> version(String workspace, ConsistencyToken token) {
        return versions.version(workspace, token.aggregateType(), token.aggregateId().toString());
    }

    private static String truncate(String value) {
        return value.length() > 80 ? value.substring(0, 80) + "…" : value;
    }
}
