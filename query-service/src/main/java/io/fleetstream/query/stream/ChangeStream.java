package io.fleetstream.query.stream;

import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.support.access.ApiKeyStore;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.WorkspaceGrants;
import io.fleetstream.query.QueryProperties;
import io.fleetstream.support.notice.ChangeNotice;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.redisson.api.RPatternTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fans the projector's change notices out to the open event streams of each workspace. One Redis
 * pattern subscription per service instance; a notice only ever reaches streams of its own workspace.
 * Writing to clients happens off the Redis listener thread (see {@link Subscriber}).
 */
@Component
public class ChangeStream {

    private static final Logger log = LoggerFactory.getLogger(ChangeStream.class);

    private final RedissonClient redis;
    private final WorkspaceGrants grants;
    private final ApiKeyStore keys;
    private final JsonMapper json;
    private final QueryProperties properties;
    private final Map<String, Set<Subscriber>> byWorkspace = new ConcurrentHashMap<>();
    private final ExecutorService writers = Executors.newFixedThreadPool(4, daemon("sse-writer"));
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("sse-heartbeat"));
    private volatile RPatternTopic topic;
    private volatile int listener;

    ChangeStream(RedissonClient redis, JsonMapper json, QueryProperties properties, WorkspaceGrants grants,
            ApiKeyStore keys) {
        this.grants = grants;
        this.keys = keys;
        this.redis = redis;
        this.json = json;
        this.properties = properties;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @PostConstruct
    void start() {
        long every = properties.streamHeartbeat().toMillis();
        heartbeat.scheduleAtFixedRate(this::keepAlive, every, every, TimeUnit.MILLISECONDS);
        heartbeat.scheduleWithFixedDelay(this::recheck, RECHECK.toMillis(), RECHECK.toMillis(), TimeUnit.MILLISECONDS);
        heartbeat.execute(this::subscribe); // off the start-up path: reads never wait for Redis
    }

    /** Subscribes to every workspace's notices; retried until Redis answers (Redisson resubscribes after that). */
    private void subscribe() {
        try {
            RPatternTopic pattern = redis.getPatternTopic(ChangeNotice.CHANNEL_PATTERN, StringCodec.INSTANCE);
            listener = pattern.addListener(String.class, (p, channel, message) -> deliver(channel.toString(), message));
            topic = pattern;
            log.info("receiving change notices from Redis");
        } catch (RuntimeException e) {
            log.warn("Redis unavailable, live notices start once it answers: {}", e.getMessage());
            if (!heartbeat.isShutdown()) {
                heartbeat.schedule(this::subscribe, 5, TimeUnit.SECONDS);
            }
        }
    }

    /** Ends open streams as soon as shutdown begins, so graceful shutdown does not wait on them. */
    @EventListener(ContextClosedEvent.class)
    void closeStreams() {
        heartbeat.shutdownNow();
        byWorkspace.values().forEach(subscribers -> subscribers.forEach(Subscriber::end));
        byWorkspace.clear();
        writers.shutdown();
    }

    @PreDestroy
    void unsubscribe() {
        if (topic != null) {
            topic.removeListener(listener);
        }
    }

    /**
     * A stream of the workspace the grant is for. It shows each notice only if the caller may read what it is
     * of (a key within its scopes, API keys to owners and admins), and ends within {@link #RECHECK} once the
     * caller lost access (removed, key revoked, workspace deleted).
     */
    public SseEmitter open(Grant grant) {
        String workspaceId = grant.workspaceId().toString();
        SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
        Set<Subscriber> subscribers = byWorkspace.computeIfAbsent(workspaceId, w -> ConcurrentHashMap.newKeySet());
        Subscriber[] self = new Subscriber[1];
        self[0] = new Subscriber(emitter, writers, () -> subscribers.remove(self[0]), grant);
        subscribers.add(self[0]);
        emitter.onCompletion(() -> subscribers.remove(self[0]));
        emitter.onTimeout(self[0]::end);
        emitter.onError(e -> self[0].end());
        self[0].offer(SseEmitter.event().comment("connected to workspace " + workspaceId));
        return emitter;
    }

    private void deliver(String channel, String message) {
        String workspaceId = channel.substring(ChangeNotice.CHANNEL_PREFIX.length());
        Set<Subscriber> subscribers = byWorkspace.get(workspaceId);
        if (subscribers == null || subscribers.isEmpty()) {
            return;
        }
        ChangeNotice notice;
        try {
            notice = json.readValue(message, ChangeNotice.class);
        } catch (JacksonException e) {
            log.warn("unreadable change notice on {}: {}", channel, e.getOriginalMessage());
            return;
        }
        if (!workspaceId.equals(notice.workspaceId())) {
            return; // a notice that claims another workspace than its channel is never shown
        }
        String key = notice.aggregateId() != null ? notice.aggregateId() : notice.deviceId();
        String id = key + (notice.version() == null ? "@" + notice.at() : ":" + notice.version());
        // a builder is consumed by the send it goes to: every stream gets its own
        subscribers.stream().filter(subscriber -> shows(subscriber.grant(), notice))
                .forEach(subscriber -> subscriber.offer(SseEmitter.event()
                        .name(notice.type())
                        .id(id)
                        .data(message, MediaType.APPLICATION_JSON)));
    }

    /** How often an open stream's access is checked again. */
    static final java.time.Duration RECHECK = java.time.Duration.ofSeconds(3);

    /** What a notice is of, and so who may see it: every type is named here, anything else is shown to nobody. */
    static boolean shows(Grant grant, ChangeNotice notice) {
        String type = notice.type();
        if (type.equals("telemetry")) {
            return grant.allows(CommandSpec.Access.VIEWER, "telemetry:read");
        }
        if (type.startsWith("device.")) {
            return grant.allows(CommandSpec.Access.VIEWER, "devices:read");
        }
        if (type.startsWith("member.") || type.startsWith("invitation.")) {
            return grant.allows(CommandSpec.Access.VIEWER, "members:read");
        }
        if (type.startsWith("team.")) {
            return grant.allows(CommandSpec.Access.VIEWER, "teams:read");
        }
        if (type.startsWith("api-key.")) {
            return grant.allows(CommandSpec.Access.ADMIN, "api-keys:read");
        }
        if (type.startsWith("workspace.")) {
            return grant.allows(CommandSpec.Access.VIEWER, "workspace:read");
        }
        return false;
    }

    /** Ends the streams of callers who lost access, and follows role changes of the others. */
    private void recheck() {
        byWorkspace.forEach((workspaceId, subscribers) -> subscribers.forEach(subscriber -> {
            try {
                Grant grant = subscriber.grant();
                boolean live = !(grant.principal() instanceof io.fleetstream.support.security.ApiKey key) || keys.isLive(key);
                java.util.Optional<Grant> now = live ? grants.lookUp(grant.principal(), workspaceId) : java.util.Optional.empty();
                if (now.isEmpty()) {
                    subscriber.end();
                } else {
                    subscriber.grant(now.get());
                }
            } catch (RuntimeException e) {
                log.debug("could not check a stream's access again: {}", e.toString()); // next time
            }
        }));
    }

    private void keepAlive() {
        byWorkspace.values().forEach(subscribers -> subscribers.forEach(
                subscriber -> subscriber.offer(SseEmitter.event().comment("keep-alive"))));
    }
}
