package io.fleetstream.support.notice;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** A Redisson client for {@code fleet.redis.url}, in services that have Redisson on their classpath. */
@AutoConfiguration
@ConditionalOnClass(Redisson.class)
@EnableConfigurationProperties(FleetRedisProperties.class)
public class FleetRedisAutoConfiguration {

    @Bean(destroyMethod = "shutdown")
    @ConditionalOnMissingBean
    RedissonClient redissonClient(FleetRedisProperties properties) {
        Config config = new Config();
        // connect on first use: Redis only carries best-effort notices, so no service waits for it to start
        config.setLazyInitialization(true);
        config.useSingleServer()
                .setAddress(properties.url())
                .setConnectionMinimumIdleSize(2)
                .setConnectionPoolSize(8)
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setConnectTimeout(2000)
                .setRetryAttempts(3);
        return Redisson.create(config);
    }
}
