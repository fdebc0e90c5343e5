package io.fleetstream.schemas;

import org.apache.kafka.common.serialization.Serde;

/** A Kafka topic with the serdes of its keys and values, so wiring reads {@code topic.valueSerde()}. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Retention retention) {

    public enum Retention {
        /** Kept forever: the facts. */
        FOREVER,
        /** Kept for the broker's default retention: requests, answers and telemetry. */
        DEFAULT
    }
}
