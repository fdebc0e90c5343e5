package io.fleetstream.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed with SIGKILL runs no shutdown hook: the PostgreSQL that pg_ctl daemonised and the
 * re-parented redis-server keep its folders and ports. The next start on those folders must take over.
 */
class LeftoverServersIT {

    @TempDir
    Path dataDir;

    @Test
    void start_stopsTheServersOfAKilledJvmOnItsFolders() throws Exception {
        int postgresPort = Ports.free();
        int redisPort = Ports.free();
        Path postgresDir = dataDir.resolve("postgres");
        Path redisDir = dataDir.resolve("redis");
        Path log = dataDir.resolve("killed-jvm.log");
        Process earlier = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServersUntilKilled.class.getName(),
                dataDir.toString(), Integer.toString(postgresPort), Integer.toString(redisPort))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            await().atMost(Duration.ofMinutes(3))
                    .until(() -> Files.exists(dataDir.resolve("ready")) || !earlier.isAlive());
            assertThat(earlier.isAlive()).as("the first JVM started both servers; its log: %s", log).isTrue();
            ProcessHandle postgres = server(postgresDir.resolve("postmaster.pid"), postgresDir);
            ProcessHandle redis = server(redisDir.resolve(EmbeddedRedisServer.PID_FILE), redisDir);

            earlier.destroyForcibly().waitFor();
            assertThat(Leftovers.running(postgres)).as("PostgreSQL outlives the killed JVM").isTrue();
            assertThat(Leftovers.running(redis)).as("Redis outlives the killed JVM").isTrue();

            try (EmbeddedPostgresServer newPostgres = EmbeddedPostgresServer.start(postgresDir, postgresPort, false);
                    EmbeddedRedisServer newRedis = EmbeddedRedisServer.start(redisDir, redisPort)) {
                assertThat(Leftovers.running(postgres)).isFalse();
                assertThat(Leftovers.running(redis)).isFalse();
                try (Connection connection = DriverManager.getConnection(newPostgres.jdbcUrl(), "postgres", "");
                        ResultSet rs = connection.createStatement().executeQuery("select current_database()")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("fleet");
                }
                assertThat(server(redisDir.resolve(EmbeddedRedisServer.PID_FILE), redisDir).pid())
                        .isNotEqualTo(redis.pid());
            }
        } finally {
            earlier.destroyForcibly();
            stopIfLeft(postgresDir.resolve("postmaster.pid"), postgresDir, "postgres", "INT");
            stopIfLeft(redisDir.resolve(EmbeddedRedisServer.PID_FILE), redisDir, "redis-server", "TERM");
        }
    }

    private static ProcessHandle server(Path pidFile, Path workDir) {
        Optional<ProcessHandle> server = Leftovers.find(pidFile, workDir, "");
        assertThat(server).as("a live server named by %s", pidFile).isPresent();
        return server.get();
    }

    // a failed run must not leave daemonised servers behind on the machine
    private static void stopIfLeft(Path pidFile, Path workDir, String program, String signal) {
        Leftovers.find(pidFile, workDir, program)
                .ifPresent(process -> Leftovers.stop(process, program, signal, Duration.ofSeconds(30)));
    }
}
