package io.fleetstream.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One embedded infrastructure per test JVM, started on first use on free ports and stopped (its files
 * deleted) when the JVM exits. Tests share it; they isolate themselves by workspace and ids, not by
 * restarting servers.
 */
public final class SharedInfrastructure {

    private static FleetInfrastructure instance;

    private SharedInfrastructure() {
    }

    public static synchronized FleetInfrastructure get() {
        if (instance == null) {
            FleetInfrastructure infra = FleetInfrastructure.start(InfraSettings.ephemeral());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                infra.close();
                deleteQuietly(infra.settings().dataDir());
            }, "shared-infrastructure-stop"));
            instance = infra;
        }
        return instance;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temp folder
        }
    }
}
