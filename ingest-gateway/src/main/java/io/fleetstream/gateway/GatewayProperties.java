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
 * @param maxStreams     event streams relayed at once, each a connection to the query service; more are refused (503)
 * @param deviceCache    devices recently authenticated, so that reconnecting fleets do not each query the database
 * @param streamIdleTimeout a relayed stream from which nothing (not even a keep-alive) came for this long is ended
 */
@ConfigurationProperties("fleet.gateway")
public record GatewayProperties(
        @DefaultValue("http://localhost:8081") URI queryUrl,
        @DefaultValue("10s") Duration commandTimeout,
        @DefaultValue Mqtt mqtt,
        @DefaultValue("1000") int maxStreams,
        @DefaultValue DeviceCache deviceCache,
        @DefaultValue("60s") Duration streamIdleTimeout) {

    /**
     * @param ttl  how long a successful token check is remembered; at most 30 minutes, far less than the day a
     *             gateway remembers revocations, so a decommissioned device is never let in from the cache
     * @param size how many devices are remembered at most
     */
    public record DeviceCache(@DefaultValue("5m") Duration ttl, @DefaultValue("100000") long size) {

        public DeviceCache {
            if (ttl.compareTo(Duration.ofMinutes(30)) > 0 || ttl.isNegative()) {
                throw new IllegalArgumentException("fleet.gateway.device-cache.ttl must be between 0 and 30m, not " + ttl);
            }
        }
    }

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
