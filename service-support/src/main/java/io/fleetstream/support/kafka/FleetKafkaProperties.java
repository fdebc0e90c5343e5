package io.fleetstream.support.kafka;

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
 */
@ConfigurationProperties("fleet.kafka")
public record FleetKafkaProperties(
        @DefaultValue("localhost:9092") String bootstrap,
        @DefaultValue("4") int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("true") boolean createTopics,
        @DefaultValue("5") int lingerMs) {
}
