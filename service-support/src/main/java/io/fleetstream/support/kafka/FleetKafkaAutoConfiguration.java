package io.fleetstream.support.kafka;

import io.fleetstream.schemas.AvroTrust;
import io.fleetstream.schemas.Topic;
import io.fleetstream.schemas.Topics;
import java.util.HashMap;
import java.util.Map;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.ObjectProvider;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.core.env.Environment;
import org.springframework.util.backoff.ExponentialBackOff;

/** Declares the platform's topics and a {@link TopicPublisher} with safe producer settings. */
@AutoConfiguration
@EnableConfigurationProperties(FleetKafkaProperties.class)
public class FleetKafkaAutoConfiguration {

    static {
        AvroTrust.ensureTrusted();
    }

    @Bean
    @ConditionalOnProperty(prefix = "fleet.kafka", name = "create-topics", havingValue = "true", matchIfMissing = true)
    KafkaAdmin.NewTopics fleetTopics(FleetKafkaProperties properties) {
        return new KafkaAdmin.NewTopics(Topics.ALL.stream().map(topic -> newTopic(topic, properties)).toArray(NewTopic[]::new));
    }

    private static NewTopic newTopic(Topic<?, ?> topic, FleetKafkaProperties properties) {
        TopicBuilder builder = TopicBuilder.name(topic.name())
                .partitions(properties.partitions())
                .replicas(properties.replicationFactor());
        if (topic.retention() == Topic.Retention.FOREVER) {
            builder.config(TopicConfig.RETENTION_MS_CONFIG, "-1");
        }
        return builder.build();
    }

    /**
     * Listeners dead-letter unreadable records themselves, so an exception reaching the container means
     * the database or Kafka is away: retry the same records with back-off for as long as it takes, never skip.
     */
    @Bean
    @ConditionalOnMissingBean
    CommonErrorHandler kafkaErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        return new DefaultErrorHandler(backOff);
    }

    @Bean
    @ConditionalOnMissingBean
    DeadLetters deadLetters(TopicPublisher publisher, Environment environment, ObjectProvider<MeterRegistry> metrics) {
        return new DeadLetters(publisher, environment.getProperty("spring.application.name", "fleetstream"),
                metrics.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    @ConditionalOnMissingBean
    TopicPublisher topicPublisher(FleetKafkaProperties properties) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrap());
        // Ordered, durable, no duplicates from producer retries.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, properties.lingerMs());
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) properties.deliveryTimeout().toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) properties.requestTimeout().toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.requestTimeout().toMillis());
        DefaultKafkaProducerFactory<byte[], byte[]> factory = new DefaultKafkaProducerFactory<>(config,
                new ByteArraySerializer(), new ByteArraySerializer());
        return new TopicPublisher(new KafkaTemplate<>(factory));
    }
}
