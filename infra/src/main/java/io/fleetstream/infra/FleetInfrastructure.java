package io.fleetstream.infra;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: Kafka, PostgreSQL, Redis and the dev issuer, started together and stopped in
 * reverse order. {@link #environment()} tells the services where to find them, in the same
 * {@code FLEET_*} variables that point them at real servers.
 */
public final class FleetInfrastructure implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FleetInfrastructure.class);

    private final InfraSettings settings;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private EmbeddedKafkaBroker kafka;
    private EmbeddedPostgresServer postgres;
    private EmbeddedRedisServer redis;
    private DevIssuer issuer;

    private FleetInfrastructure(InfraSettings settings) {
        this.settings = settings;
    }

    public static FleetInfrastructure start(InfraSettings settings) {
        FleetInfrastructure infra = new FleetInfrastructure(settings);
        try {
            infra.startAll();
            return infra;
        } catch (RuntimeException e) {
            infra.close();
            throw e;
        }
    }

    private void startAll() {
        long started = System.nanoTime();
        // PostgreSQL forks its own processes; start it while Kafka boots in this thread.
        CompletableFuture<EmbeddedPostgresServer> pg = CompletableFuture.supplyAsync(
                () -> EmbeddedPostgresServer.start(settings.dataDir().resolve("postgres"), settings.postgresPort(),
                        settings.durable()));
        try {
            kafka = track(EmbeddedKafkaBroker.start(settings.dataDir().resolve("kafka"), settings.kafkaPort(),
                    settings.kafkaControllerPort()));
            redis = track(EmbeddedRedisServer.start(settings.dataDir().resolve("redis"), settings.redisPort()));
            issuer = track(DevIssuer.start(settings.dataDir().resolve("issuer/signing-key.json"), settings.issuerPort()));
        } finally {
            try {
                postgres = track(pg.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        log.info("embedded infrastructure up in {} ms: kafka {}, postgres {}, redis {}, issuer {}",
                (System.nanoTime() - started) / 1_000_000, kafka.bootstrapServers(), postgres.jdbcUrl(), redis.url(),
                issuer.issuer());
    }

    private <T extends AutoCloseable> T track(T part) {
        synchronized (running) {
            running.push(part);
        }
        return part;
    }

    public InfraSettings settings() {
        return settings;
    }

    public EmbeddedKafkaBroker kafka() {
        return kafka;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    public EmbeddedRedisServer redis() {
        return redis;
    }

    public DevIssuer issuer() {
        return issuer;
    }

    /** The settings that point a service at this infrastructure, as environment variables. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("FLEET_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("FLEET_DB_URL", postgres.jdbcUrl());
        env.put("FLEET_DB_USER", EmbeddedPostgresServer.USER);
        env.put("FLEET_DB_PASSWORD", "");
        env.put("FLEET_REDIS_URL", redis.url());
        env.put("FLEET_OIDC_ISSUER", issuer.issuer());
        return env;
    }

    /** The same settings as Spring property names, for services started inside a test JVM. */
    public Map<String, Object> springProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("fleet.kafka.bootstrap", kafka.bootstrapServers());
        props.put("fleet.db.url", postgres.jdbcUrl());
        props.put("fleet.db.user", EmbeddedPostgresServer.USER);
        props.put("fleet.db.password", "");
        props.put("fleet.redis.url", redis.url());
        props.put("fleet.oidc.issuer", issuer.issuer());
        return props;
    }

    @Override
    public void close() {
        synchronized (running) {
            while (!running.isEmpty()) {
                AutoCloseable part = running.pop();
                try {
                    part.close();
                } catch (Exception e) {
                    log.warn("could not stop {}", part.getClass().getSimpleName(), e);
                }
            }
        }
    }
}
