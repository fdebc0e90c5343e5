package io.fleetstream.support.access;

import static io.fleetstream.schemas.readmodel.Tables.API_KEY;
import static io.fleetstream.schemas.readmodel.Tables.API_KEY_USE;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fleetstream.support.security.ApiKey;
import io.fleetstream.support.security.ApiKeySecrets;
import io.fleetstream.support.security.ApiKeyVerifier;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jooq.impl.DSL;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks API keys against the keys read model by the hash of their secret. A check is remembered for
 * {@link #REMEMBER}, so a revoked or expired key stops working on every gateway within that and the
 * projector's lag; an expiry is also checked on every use. When each key was last used is written back
 * every half minute, in one statement, not once per request.
 */
public class ApiKeyStore implements ApiKeyVerifier, AutoCloseable {

    static final Duration REMEMBER = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(ApiKeyStore.class);

    private final DSLContext db;
    private final Cache<String, Optional<ApiKey>> recent = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(REMEMBER).build();
    private final Cache<UUID, Boolean> live = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(REMEMBER).build();
    private final Map<UUID, Instant> used = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "api-key-use");
        thread.setDaemon(true);
        return thread;
    });

    public ApiKeyStore(DSLContext db) {
        this.db = db;
        flusher.scheduleWithFixedDelay(this::flush, 30, 30, TimeUnit.SECONDS);
    }

    @Override
    public Optional<ApiKey> verify(String secret) {
        if (!ApiKeySecrets.plausible(secret)) {
            return Optional.empty();
        }
        Optional<ApiKey> key = recent.get(ApiKeySecrets.hash(secret), this::lookUp)
                .filter(k -> k.expiresAt() == null || k.expiresAt().isAfter(Instant.now()));
        key.ifPresent(k -> used.put(k.keyId(), Instant.now()));
        return key;
    }

    /** Whether a key authenticated earlier is still neither revoked nor expired (for streams that stay open). */
    public boolean isLive(ApiKey key) {
        return (key.expiresAt() == null || key.expiresAt().isAfter(Instant.now()))
                && live.get(key.keyId(), id -> db.fetchExists(API_KEY, API_KEY.KEY_ID.eq(id), API_KEY.REVOKED_AT.isNull()));
    }

    private Optional<ApiKey> lookUp(String hash) {
        return db.selectFrom(API_KEY).where(API_KEY.SECRET_HASH.eq(hash), API_KEY.REVOKED_AT.isNull())
                .fetchOptional(r -> new ApiKey(r.getKeyId(), r.getWorkspaceId(), r.getCreatorId(), r.getName(),
                        Set.of(r.getScopes()), r.getExpiresAt() == null ? null : r.getExpiresAt().toInstant(),
                        r.getCreatedAt().toInstant()));
    }

    /** Writes the last uses seen since the previous flush. */
    public void flush() {
        if (used.isEmpty()) {
            return;
        }
        try {
            List<org.jooq.Query> upserts = new java.util.ArrayList<>();
            for (Map.Entry<UUID, Instant> e : Map.copyOf(used).entrySet()) {
                used.remove(e.getKey(), e.getValue());
                OffsetDateTime at = e.getValue().atOffset(ZoneOffset.UTC);
                upserts.add(db.insertInto(API_KEY_USE, API_KEY_USE.KEY_ID, API_KEY_USE.LAST_USED_AT).values(e.getKey(), at)
                        .onConflict(API_KEY_USE.KEY_ID).doUpdate()
                        .set(API_KEY_USE.LAST_USED_AT, DSL.greatest(API_KEY_USE.LAST_USED_AT, DSL.val(at))));
            }
            db.batch(upserts).execute();
        } catch (RuntimeException e) {
            log.warn("could not record when API keys were last used: {}", e.toString());
        }
    }

    @Override
    public void close() {
        flusher.shutdown();
        flush();
    }
}
