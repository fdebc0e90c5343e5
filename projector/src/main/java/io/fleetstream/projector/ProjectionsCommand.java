package io.fleetstream.projector;

import io.fleetstream.projector.projection.ParkedRecords;
import io.fleetstream.projector.projection.ParkedRetries;
import io.fleetstream.schemas.Text;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar projector-exec.jar projections [list | retry <projection> [<key>] | skip <projection> <key>]}:
 * shows what the projections parked, and retries or skips it (see {@link ParkedRetries}), with the same
 * configuration as the projector and next to it. Exit code: 0 done, 1 refused or failed, 2 wrong usage;
 * {@code list} exits 0 whether or not anything is parked.
 */
final class ProjectionsCommand {

    static final String NAME = "projections";
    private static final String USAGE = """
            usage: projections [list]                       what is parked, per projection and key
                   projections retry <projection> [<key>]   apply a key's parked records again (every key when none is given)
                   projections skip <projection> <key>      drop the oldest parked record of a key, retry the rest""";

    private ProjectionsCommand() {
    }

    static int run(String[] args) {
        String verb = args.length == 0 ? "list" : args[0];
        boolean valid = switch (verb) {
            case "list" -> args.length <= 1;
            case "retry" -> args.length == 2 || args.length == 3;
            case "skip" -> args.length == 3;
            default -> false;
        };
        if (!valid) {
            System.err.println(USAGE);
            return 2;
        }
        SpringApplication application = new SpringApplication(ProjectorApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = application.run("--spring.kafka.listener.auto-startup=false",
                "--fleet.kafka.create-topics=false")) {
            ParkedRetries retries = context.getBean(ParkedRetries.class);
            switch (verb) {
                case "list" -> list(context.getBean(ParkedRecords.class), System.out);
                case "retry" -> print(retries.retry(args[1], args.length == 3 ? args[2] : null));
                default -> print(retries.skip(args[1], args[2]));
            }
            return 0;
        } catch (ParkedRetries.Refused e) {
            System.err.println("nothing done: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            System.err.println("failed, nothing was changed: " + e);
            return 1;
        }
    }

    private static void print(ParkedRetries.Outcome outcome) {
        System.out.printf("%s: %d applied, %d still parked, %d skipped%n", outcome.projection(), outcome.applied(),
                outcome.stillParked(), outcome.skipped());
    }

    static void list(ParkedRecords parked, PrintStream out) {
        List<List<ParkedRecords.Parked>> sequences = parked.sequences(null, null, true);
        if (sequences.isEmpty()) {
            out.println("nothing is parked");
            return;
        }
        out.printf("%-20s %-38s %6s  %-24s %-20s %s%n", "projection", "key", "parked", "first record", "parked at", "error");
        for (List<ParkedRecords.Parked> sequence : sequences) {
            ParkedRecords.Parked first = sequence.get(0);
            long skipped = sequence.stream().filter(ParkedRecords.Parked::skipped).count();
            String error = (skipped > 0 ? "[" + skipped + " skipped] " : "") + sequence.stream()
                    .filter(p -> p.failed() && !p.skipped()).findFirst()
                    .map(p -> p.error() + (p.attempts() > 1 ? " (tried " + p.attempts() + " times)" : ""))
                    .orElse("");
            out.printf("%-20s %-38s %6d  %-24s %-20s %s%n", first.projection(), key(first.key()), sequence.size(),
                    first.topic() + "/" + first.partition() + "@" + first.offset(),
                    first.parkedAt().toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), error);
        }
    }

    private static String key(byte[] key) {
        return key == null ? "(none)" : Text.printable(new String(key, StandardCharsets.UTF_8), 38);
    }
}
