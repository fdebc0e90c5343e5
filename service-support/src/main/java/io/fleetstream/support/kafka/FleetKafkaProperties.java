package io.fleetstream.support.kafka;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Kafka settings of every service ({@code FLEET_KAFKA_*}).
 *
 * @param bootstrap         bootstrap servers
 * @param partitions        partitions of each topic the platform creates
 * @param replicationFactor replicas of each topic the platform creates
 * @param createTopics      whether services create missing topics at start (turn off where topics are provisioned)
 * @param lingerMs          how long the producer waits to fill a batch; 0 sends at once (batches still form under load)
 * @param requestTimeout    how long the producer waits for one answer of the broker (and for metadata)
 * @param deliveryTimeout   how long a send may take, retries included, before it fails
 */
@ConfigurationProperties("fleet.kafka")
public record FleetKafkaProperties(
        @DefaultValue("localhost:9092") String bootstrap,
        @DefaultValue("4") int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("true") boolean createTopics,
        @DefaultValue("5") int lingerMs,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("30s") Duration deliveryTimeout) {
}
