package io.fleetstream.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import redis.embedded.RedisServer;

/** Redis from the embedded binary. It carries only change notices and counters, so it keeps no data on disk. */
public final class EmbeddedRedisServer implements AutoCloseable {

    static final String PID_FILE = "redis.pid";

    private final RedisServer server;
    private final int port;

    private EmbeddedRedisServer(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static EmbeddedRedisServer start(Path workDir, int port) {
        try {
            Files.createDirectories(workDir);
            Path pidFile = workDir.toAbsolutePath().resolve(PID_FILE);
            stopLeftover(pidFile, workDir);
            RedisServer server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("dir " + workDir.toAbsolutePath())
                    // written even though it is not daemonised; names a server whose JVM was killed
                    .setting("pidfile " + pidFile)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
            return new EmbeddedRedisServer(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded Redis did not start", e);
        }
    }

    /** A redis-server whose JVM was killed keeps running, re-parented, and holds the port. */
    private static void stopLeftover(Path pidFile, Path workDir) {
        Leftovers.find(pidFile, workDir, "redis-server")
                .ifPresent(server -> Leftovers.stop(server, "Redis", "TERM", Duration.ofSeconds(10)));
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
