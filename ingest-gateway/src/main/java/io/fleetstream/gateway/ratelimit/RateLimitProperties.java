package io.fleetstream.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param rateLimits the requests each principal may send per window, for every tier at once
 *                   ({@code FLEET_RATE_LIMITS}, e.g. {@code 10/1s,50/10s,200/1m}); empty or {@code off} for none.
 *                   Checked at startup, so that a typo stops the gateway rather than turning the limits off.
 */
@ConfigurationProperties("fleet.gateway")
public record RateLimitProperties(@DefaultValue("10/1s,50/10s,200/1m") String rateLimits) {

    public RateLimitProperties {
        RateLimitTiers.parse(rateLimits);
    }

    public RateLimitTiers tiers() {
        return RateLimitTiers.parse(rateLimits);
    }
}
