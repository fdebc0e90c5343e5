package io.fleetstream.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Servers that outlived the process that started them. PostgreSQL is daemonised by pg_ctl and Redis is
 * re-parented when the JVM that started it is killed without running its shutdown hooks; either then
 * holds its data folder and port, and the next start must stop it before it can take over.
 */
final class Leftovers {

    private static final Logger log = LoggerFactory.getLogger(Leftovers.class);
    private static final Duration KILL_PATIENCE = Duration.ofSeconds(10);

    private Leftovers() {
    }

    /**
     * The live process whose pid is on the first line of {@code pidFile}, if it still is the server of
     * {@code workDir}: a pid file outlives its process, and the pid may since belong to anything.
     */
    static Optional<ProcessHandle> find(Path pidFile, Path workDir, String programName) {
        long pid;
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            pid = Long.parseLong(lines.get(0).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(Leftovers::running)
                .filter(process -> process.pid() != ProcessHandle.current().pid())
                .filter(process -> servesFolder(process, workDir, programName));
    }

    private static boolean servesFolder(ProcessHandle process, Path workDir, String programName) {
        // both servers chdir into their folder, so on Linux the working directory names the owner exactly
        Path cwd = Path.of("/proc", Long.toString(process.pid()), "cwd");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            try {
                return Files.isSameFile(cwd, workDir);
            } catch (IOException e) {
                return false;
            }
        }
        return process.info().command()
                .map(command -> Path.of(command).getFileName().toString().startsWith(programName))
                .orElse(false);
    }

    /** Asks the process to stop with {@code signal}, waits up to {@code patience}, then kills it. */
    static void stop(ProcessHandle process, String what, String signal, Duration patience) {
        log.warn("stopping {} (pid {}) left running by an earlier run that was killed", what, process.pid());
        if (!signal(process, signal)) {
            process.destroy();
        }
        if (!awaitExit(process, patience)) {
            log.warn("{} (pid {}) did not stop within {} s; killing it", what, process.pid(), patience.toSeconds());
            process.destroyForcibly();
            if (!awaitExit(process, KILL_PATIENCE)) {
                throw new IllegalStateException(what + " (pid " + process.pid() + ") left by an earlier run does not stop");
            }
        }
        log.info("{} (pid {}) of the earlier run stopped", what, process.pid());
    }

    // ProcessHandle can only send TERM and KILL; PostgreSQL's fast shutdown is INT
    private static boolean signal(ProcessHandle process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // onExit() of a process that is not our child polls with a growing pause; a restart waits on this
    private static boolean awaitExit(ProcessHandle process, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (running(process)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !running(process);
            }
        }
        return true;
    }

    /**
     * A leftover was re-parented, and whoever adopted it may reap it late: until then it is a zombie,
     * "alive" to {@link ProcessHandle#isAlive()} although it has exited and let go of its ports and files.
     */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int afterName = stat.lastIndexOf(')');
            return afterName < 0 || afterName + 2 >= stat.length() || stat.charAt(afterName + 2) != 'Z';
        } catch (IOException e) {
            return process.isAlive();
        }
    }
}
