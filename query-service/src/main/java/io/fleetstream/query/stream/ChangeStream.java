package io.fleetstream.query.stream;

import io.fleetstream.query.QueryProperties;
import io.fleetstream.support.notice.ChangeNotice;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RPatternTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fans the projector's change notices out to the open event streams of each workspace. One Redis
 * pattern subscription per service instance; a notice only ever reaches streams of its own workspace.
 */
@Component
public class ChangeStream {

    private static final Logger log = LoggerFactory.getLogger(ChangeStream.class);

    private final RedissonClient redis;
    private final JsonMapper json;
    private final QueryProperties properties;
    private final Map<String, Set<SseEmitter>> byWorkspace = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sse-heartbeat");
        thread.setDaemon(true);
        return thread;
    });
    private RPatternTopic topic;
    private int listener;

    ChangeStream(RedissonClient redis, JsonMapper json, QueryProperties properties) {
        this.redis = redis;
        this.json = json;
        this.properties = properties;
    }

    @PostConstruct
    void subscribe() {
        topic = redis.getPatternTopic(ChangeNotice.CHANNEL_PATTERN, StringCodec.INSTANCE);
        listener = topic.addListener(String.class, (pattern, channel, message) -> deliver(channel.toString(), message));
        long every = properties.streamHeartbeat().toMillis();
        heartbeat.scheduleAtFixedRate(this::keepAlive, every, every, TimeUnit.MILLISECONDS);
    }

    /** Ends open streams as soon as shutdown begins, so graceful shutdown does not wait on them. */
    @EventListener(ContextClosedEvent.class)
    void closeStreams() {
        heartbeat.shutdownNow();
        byWorkspace.values().forEach(emitters -> emitters.forEach(SseEmitter::complete));
        byWorkspace.clear();
    }

    @PreDestroy
    void unsubscribe() {
        topic.removeListener(listener);
    }

    public SseEmitter open(String workspaceId) {
        SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
        Set<SseEmitter> emitters = byWorkspace.computeIfAbsent(workspaceId, w -> ConcurrentHashMap.newKeySet());
        emitters.add(emitter);
        Runnable remove = () -> emitters.remove(emitter);
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        try {
            emitter.send(SseEmitter.event().comment("connected to workspace " + workspaceId));
        } catch (IOException e) {
            remove.run();
        }
        return emitter;
    }

    private void deliver(String channel, String message) {
        String workspaceId = channel.substring(ChangeNotice.CHANNEL_PREFIX.length());
        Set<SseEmitter> emitters = byWorkspace.get(workspaceId);
        if (emitters == null || emitters.isEmpty()) {
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
        SseEmitter.SseEventBuilder event = SseEmitter.event()
                .name(notice.type())
                .id(notice.deviceId() + (notice.version() == null ? "@" + notice.at() : ":" + notice.version()))
                .data(message, org.springframework.http.MediaType.APPLICATION_JSON);
        for (SseEmitter emitter : emitters) {
            send(emitters, emitter, event);
        }
    }

    private void keepAlive() {
        byWorkspace.values().forEach(emitters -> emitters.forEach(
                emitter -> send(emitters, emitter, SseEmitter.event().comment("keep-alive"))));
    }

    private static void send(Set<SseEmitter> emitters, SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            synchronized (emitter) {
                emitter.send(event);
            }
        } catch (IOException | IllegalStateException e) {
            emitters.remove(emitter); // the client went away
        }
    }
}
