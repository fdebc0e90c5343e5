package io.fleetstream.support.notice;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param url Redis address ({@code FLEET_REDIS_URL}), e.g. {@code redis://localhost:6379} or {@code rediss://…} with TLS */
@ConfigurationProperties("fleet.redis")
public record FleetRedisProperties(@DefaultValue("redis://127.0.0.1:16379") String url) {
}
