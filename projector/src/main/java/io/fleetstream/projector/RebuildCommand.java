package io.fleetstream.projector;

import io.fleetstream.projector.projection.Rebuilds;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar projector-exec.jar rebuild <projection>}: rebuilds one read model and exits, with the
 * same configuration as the projector. It starts no listener and no web server, so it can run next to
 * the live projector (see {@link Rebuilds}).
 */
final class RebuildCommand {

    static final String NAME = "rebuild";

    private RebuildCommand() {
    }

    /** Returns the process exit code: 0 rebuilt, 1 refused or failed (nothing changed), 2 wrong usage. */
    static int run(String[] args) {
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: rebuild <projection>    for example: rebuild devices");
            return 2;
        }
        SpringApplication application = new SpringApplication(ProjectorApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        // the live projector may be running: this process only rebuilds, and creates no topic it should find
        try (ConfigurableApplicationContext context = application.run("--spring.kafka.listener.auto-startup=false",
                "--fleet.kafka.create-topics=false")) {
            Rebuilds.Report report = context.getBean(Rebuilds.class).rebuild(args[0]);
            System.out.printf("rebuilt %s from %s: %d records (end offsets %s) in %.1f s%n", report.projection(),
                    report.topic(), report.records(), report.endOffsets(), report.took().toMillis() / 1000.0);
            return 0;
        } catch (Rebuilds.RebuildRefused e) {
            System.err.println("not rebuilt: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            System.err.println("rebuild failed, nothing was changed: " + e);
            return 1;
        }
    }
}
