package io.fleetstream.gateway;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the gateway ({@code FLEET_GATEWAY_*}, {@code FLEET_MQTT_*}).
 *
 * @param queryUrl       where the query service listens; reads are proxied there
 * @param commandTimeout how long a write waits for its command's result before answering 504
 * @param mqtt           the embedded MQTT broker
 * @param maxStreams     event streams proxied at once; each holds a request thread, so more are refused (503)
 */
@ConfigurationProperties("fleet.gateway")
public record GatewayProperties(
        @DefaultValue("http://localhost:8081") URI queryUrl,
        @DefaultValue("10s") Duration commandTimeout,
        @DefaultValue Mqtt mqtt,
        @DefaultValue("100") int maxStreams) {

    /**
     * @param enabled     whether to run the embedded broker
     * @param port        TCP port for devices
     * @param bindAddress interface to listen on
     * @param workDir     folder for the broker's configuration and temporary files; a temp folder when empty
     */
    public record Mqtt(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1883") int port,
            @DefaultValue("0.0.0.0") String bindAddress,
            @Nullable Path workDir) {
    }
}
