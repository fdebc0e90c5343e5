package io.fleetstream.support.kafka;

import io.fleetstream.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Sends typed values to a {@link Topic}, encoding them with the topic's own serdes. A send Kafka does not
 * take is always reported through the returned future, never thrown: {@link KafkaTemplate} throws when the
 * producer fails a record at once (for instance when metadata cannot be had within {@code max.block.ms}),
 * and callers should not need two failure paths for one outcome.
 */
public class TopicPublisher {

    private final KafkaTemplate<byte[], byte[]> template;
    private final AtomicLong failedSends = new AtomicLong();

    public TopicPublisher(KafkaTemplate<byte[], byte[]> template) {
        this.template = template;
    }

    public <K, V> CompletableFuture<SendResult<byte[], byte[]>> send(Topic<K, V> topic, K key, V value) {
        return send(topic, key, value, Map.of());
    }

    /** The same, with record headers (UTF-8 values) that let consumers pass over a record without decoding it. */
    public <K, V> CompletableFuture<SendResult<byte[], byte[]>> send(Topic<K, V> topic, K key, V value,
            Map<String, String> headers) {
        byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
        byte[] valueBytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        CompletableFuture<SendResult<byte[], byte[]>> sent;
        try {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic.name(), keyBytes, valueBytes);
            headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
            sent = template.send(record);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((result, error) -> {
            if (error != null) {
                failedSends.incrementAndGet();
            }
        });
        return sent;
    }

    /** Sends Kafka did not take (timed out or refused) since start. */
    public long failedSends() {
        return failedSends.get();
    }

    /**
     * Waits until Kafka took every one of the sends; a send refused, or not taken within the time, fails it
     * with an {@link IllegalStateException} saying what was sent.
     */
    public static void awaitAll(List<? extends CompletableFuture<?>> sends, Duration within, String what) {
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Kafka took " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take " + what, e);
        }
    }

    public void flush() {
        template.flush();
    }
}
