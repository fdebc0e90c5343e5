package io.fleetstream.bench;

import java.util.Arrays;

/** {@code ./fleet bench [telemetry|commands|reads] [--option value ...]}: the benchmarks, against a running platform. */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 && !args[0].startsWith("--") ? args[0] : "telemetry";
        String[] rest = args.length > 0 && !args[0].startsWith("--") ? Arrays.copyOfRange(args, 1, args.length) : args;
        switch (which) {
            case "telemetry" -> TelemetryBench.main(rest);
            case "commands" -> CommandBench.main(rest);
            case "reads" -> ReadBench.main(rest);
            default -> throw new IllegalArgumentException("unknown benchmark " + which + "; try telemetry, commands or reads");
        }
    }
}
