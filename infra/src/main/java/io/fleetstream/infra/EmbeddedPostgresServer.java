package io.fleetstream.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * PostgreSQL from the embedded binaries, keeping its data under {@code dataDir} between runs.
 * zonky daemonises the server through pg_ctl, so it is not a child of this JVM: {@link #close()} must run.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "fleet";
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final int port;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
    }

    /**
     * @param durable false only for throw-away test data: skips fsync, which is unsafe for data that must
     *                survive a crash (the event store is the source of truth)
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port, boolean durable) {
        try {
            Files.createDirectories(dataDir);
            stopLeftover(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("max_connections", "200")
                    // a crash may lose the last moments of commits, never corrupt what was committed before
                    .setServerConfig("synchronous_commit", "off");
            if (!durable) {
                builder.setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off");
            }
            EmbeddedPostgres postgres = builder.start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, port);
            server.createDatabaseIfMissing();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /**
     * A postmaster whose JVM was killed keeps running (pg_ctl daemonised it) and holds the folder and the
     * port. INT is PostgreSQL's fast shutdown: clients of the earlier run may still be connected, and the
     * default smart shutdown would wait for them.
     */
    private static void stopLeftover(Path dataDir) {
        Leftovers.find(dataDir.resolve("postmaster.pid"), dataDir, "postgres")
                .ifPresent(postmaster -> Leftovers.stop(postmaster, "PostgreSQL", "INT", Duration.ofSeconds(60)));
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("create database " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + DATABASE, e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
