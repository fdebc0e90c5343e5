package io.fleetstream.command;

import io.fleetstream.schemas.AvroTrust;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class CommandServiceApplication {

    private static final String AXON_METADATA_TRUST = "org.apache.avro.SERIALIZABLE_CLASSES";

    public static void main(String[] args) {
        AvroTrust.ensureTrusted();
        // Axon's Avro serializer looks up the class of event metadata through Avro's trust list.
        if (System.getProperty(AXON_METADATA_TRUST) == null) {
            System.setProperty(AXON_METADATA_TRUST, "org.axonframework.messaging.MetaData");
        }
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(CommandServiceApplication.class, args);
    }
}
