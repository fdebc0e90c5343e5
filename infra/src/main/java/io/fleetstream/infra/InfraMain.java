package io.fleetstream.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Runs the embedded default as one process for {@code ./fleet up}: writes {@code infra.env} (the
 * settings the services need) into the data folder once everything listens, and stops everything on
 * SIGINT or SIGTERM.
 */
public final class InfraMain {

    private InfraMain() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-infra.xml");
        }
        InfraSettings settings = InfraSettings.fromEnvironment(System.getenv());
        Path ready = settings.dataDir().resolve("infra.env");
        Files.deleteIfExists(ready);
        FleetInfrastructure infra = FleetInfrastructure.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(ready);
            } catch (IOException e) {
                // the launcher removes it too
            }
            infra.close();
            stopped.countDown();
        }, "infra-stop"));
        writeAtomically(ready, infra.environment());
        stopped.await();
    }

    private static void writeAtomically(Path file, Map<String, String> env) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, env.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
