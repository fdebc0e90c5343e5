package io.fleetstream.gateway;

import io.fleetstream.schemas.AvroTrust;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        AvroTrust.ensureTrusted();
        SpringApplication.run(GatewayApplication.class, args);
    }
}
