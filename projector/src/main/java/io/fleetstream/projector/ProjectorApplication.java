package io.fleetstream.projector;

import io.fleetstream.schemas.AvroTrust;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ProjectorApplication {

    public static void main(String[] args) {
        AvroTrust.ensureTrusted();
        SpringApplication.run(ProjectorApplication.class, args);
    }
}
