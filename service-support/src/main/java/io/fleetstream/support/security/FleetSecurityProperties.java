package io.fleetstream.support.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How bearer tokens are read ({@code FLEET_OIDC_*}).
 *
 * @param issuer         the OIDC issuer whose keys sign tokens
 * @param audience       required audience, empty to accept any
 * @param publicPaths    paths served without a token
 */
@ConfigurationProperties("fleet.oidc")
public record FleetSecurityProperties(
        @DefaultValue("http://localhost:8089") String issuer,
        @DefaultValue("fleetstream") String audience,
        @DefaultValue({"/v1/health", "/v1/health/**", "/v1/prometheus"}) List<String> publicPaths) {
}
