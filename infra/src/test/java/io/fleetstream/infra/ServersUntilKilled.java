package io.fleetstream.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** PostgreSQL and Redis in a JVM of their own, for a test to kill it the way {@code kill -9} does. */
public final class ServersUntilKilled {

    private ServersUntilKilled() {
    }

    /** Arguments: data folder, PostgreSQL port, Redis port. Writes {@code ready} into the folder once both listen. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        EmbeddedPostgresServer.start(dir.resolve("postgres"), Integer.parseInt(args[1]), false);
        EmbeddedRedisServer.start(dir.resolve("redis"), Integer.parseInt(args[2]));
        Files.writeString(dir.resolve("ready"), "");
        new CountDownLatch(1).await();
    }
}
