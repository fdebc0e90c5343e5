package io.fleetstream.gateway.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts the rate limit filter into the security chain the shared configuration builds (Spring Security
 * applies every {@code Customizer<HttpSecurity>} bean to it): after every authentication filter, so that it
 * sees who calls, and before authorization. The filter is no bean of its own, which Spring Boot would also
 * register as a servlet filter outside the chain.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

    @Bean
    Customizer<HttpSecurity> rateLimits(RateLimitProperties properties, RedissonClient redis, JsonMapper json,
            MeterRegistry meters) {
        RateLimitTiers tiers = properties.tiers();
        if (!tiers.enabled()) {
            log.info("rate limits are off: {} is empty or off", RateLimitTiers.SETTING);
            return http -> {
            };
        }
        log.info("rate limits per principal: {}, counted in Redis", tiers);
        RateLimitFilter filter = new RateLimitFilter(new RateLimiter(redis, tiers)::acquire, tiers, json, meters);
        return http -> http.addFilterBefore(filter, AuthorizationFilter.class);
    }
}
