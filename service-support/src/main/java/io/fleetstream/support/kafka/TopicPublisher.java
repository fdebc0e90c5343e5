package io.fleetstream.support.kafka;

import io.fleetstream.schemas.Topic;
import java.util.concurrent.CompletableFuture;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/** Sends typed values to a {@link Topic}, encoding them with the topic's own serdes. */
public class TopicPublisher {

    private final KafkaTemplate<byte[], byte[]> template;

    public TopicPublisher(KafkaTemplate<byte[], byte[]> template) {
        this.template = template;
    }

    public <K, V> CompletableFuture<SendResult<byte[], byte[]>> send(Topic<K, V> topic, K key, V value) {
        byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
        byte[] valueBytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        return template.send(topic.name(), keyBytes, valueBytes);
    }

    public void flush() {
        template.flush();
    }
}
