package io.fleetstream.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where the embedded default keeps its data and which loopback ports it listens on. */
public record InfraSettings(Path dataDir, int kafkaPort, int kafkaControllerPort, int postgresPort, int redisPort,
        int issuerPort, boolean durable) {

    /** The fixed ports of {@code ./fleet up}, each overridable through the environment. */
    public static InfraSettings fromEnvironment(Map<String, String> env) {
        return new InfraSettings(
                Path.of(env.getOrDefault("FLEET_DATA_DIR", "data")),
                Integer.parseInt(env.getOrDefault("FLEET_EMBEDDED_KAFKA_PORT", "9092")),
                Integer.parseInt(env.getOrDefault("FLEET_EMBEDDED_KAFKA_CONTROLLER_PORT", "9093")),
                Integer.parseInt(env.getOrDefault("FLEET_EMBEDDED_POSTGRES_PORT", "15432")),
                Integer.parseInt(env.getOrDefault("FLEET_EMBEDDED_REDIS_PORT", "16379")),
                Integer.parseInt(env.getOrDefault("FLEET_EMBEDDED_ISSUER_PORT", "8089")),
                true);
    }

    /** A throw-away instance on free ports, for one test JVM. */
    public static InfraSettings ephemeral() {
        try {
            return new InfraSettings(Files.createTempDirectory("fleet-test-infra"), Ports.free(), Ports.free(),
                    Ports.free(), Ports.free(), Ports.free(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
