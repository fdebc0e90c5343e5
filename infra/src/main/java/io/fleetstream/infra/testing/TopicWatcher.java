package io.fleetstream.infra.testing;


import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Test support: reads every record of a topic from its beginning on a background thread, so a test
 * can wait for the record it expects. Records that fail to deserialize are kept with a null value.
 */
public final class TopicWatcher<K, V> implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<K> keys;
    private final Deserializer<V> values;
    private final List<ConsumerRecord<K, V>> records = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poller;

    private TopicWatcher(String bootstrap, String topic, Deserializer<K> keys, Deserializer<V> values) {
        this.keys = keys;
        this.values = values;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.partitionsFor(topic).isEmpty());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.poller = new Thread(this::poll, "topic-watcher-" + topic);
        poller.setDaemon(true);
        poller.start();
    }

    public static <K, V> TopicWatcher<K, V> fromBeginning(String bootstrap, String topic, Deserializer<K> keys,
            Deserializer<V> values) {
        return new TopicWatcher<>(bootstrap, topic, keys, values);
    }

    private void poll() {
        try {
            while (running.get()) {
                for (var raw : consumer.poll(Duration.ofMillis(200))) {
                    V value;
                    try {
                        value = values.deserialize(raw.topic(), raw.value());
                    } catch (RuntimeException e) {
                        value = null;
                    }
                    records.add(new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(),
                            keys.deserialize(raw.topic(), raw.key()), value));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    public List<ConsumerRecord<K, V>> records() {
        return List.copyOf(records);
    }

    public List<V> values(Predicate<V> matching) {
        return records.stream().map(ConsumerRecord::value).filter(v -> v != null && matching.test(v)).toList();
    }

    /** Waits until a record's value matches, and returns the first that does. */
    public V await(Predicate<V> matching, Duration timeout) {
        return org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> values(matching).stream().findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
