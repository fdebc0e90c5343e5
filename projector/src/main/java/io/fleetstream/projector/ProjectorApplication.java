package io.fleetstream.projector;

import io.fleetstream.schemas.AvroTrust;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ProjectorApplication {

    public static void main(String[] args) {
        AvroTrust.ensureTrusted();
        if (args.length > 0 && RebuildCommand.NAME.equals(args[0])) {
            System.exit(RebuildCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && ProjectionsCommand.NAME.equals(args[0])) {
            System.exit(ProjectionsCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(ProjectorApplication.class, args);
    }
}
