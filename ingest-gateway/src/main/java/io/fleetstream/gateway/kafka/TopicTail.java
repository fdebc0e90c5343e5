package io.fleetstream.gateway.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of a topic from its end onwards (or from a while back), without a consumer group,
 * so that every gateway instance sees every new record (answers to its commands, decommissioned devices).
 * {@link #start()} returns once the end is fixed: anything published after that is seen. Survives broker
 * hiccups.
 */
public final class TopicTail implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicTail.class);

    private final String topic;
    private final @Nullable Duration lookBack;
    private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private volatile boolean running;

    public TopicTail(String bootstrap, String topic, Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        this(bootstrap, topic, null, handler);
    }

    /**
     * @param lookBack when given, the records of that last stretch of time are handed over first, and
     *                 {@link #start()} returns only once they all were
     */
    public TopicTail(String bootstrap, String topic, @Nullable Duration lookBack,
            Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        this.topic = topic;
        this.lookBack = lookBack;
        this.handler = handler;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public void start() {
        running = true;
        Thread thread = new Thread(this::run, "tail-" + topic);
        thread.setDaemon(true);
        thread.start();
        try {
            // a look-back replays up to a day of events before the gateway may take devices
            if (!positioned.await(lookBack == null ? 60 : 300, TimeUnit.SECONDS)) {
                throw new IllegalStateException("could not position on " + topic);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            if (lookBack != null) {
                replayLookBack(partitions);
            } else {
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position); // resolve the end now, before anyone relies on seeing what follows
            }
            positioned.countDown();
            while (running) {
                try {
                    consumer.poll(Duration.ofMillis(500)).forEach(this::handle);
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    log.warn("reading {} failed, retrying: {}", topic, e.getMessage());
                    pause();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } finally {
            consumer.close();
        }
    }

    /** Hands over every record of the look-back window, up to the end as it is now. */
    private void replayLookBack(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long since = System.currentTimeMillis() - lookBack.toMillis();
        Map<TopicPartition, Long> times = new java.util.HashMap<>();
        partitions.forEach(partition -> times.put(partition, since));
        consumer.offsetsForTimes(times).forEach((partition, found) ->
                consumer.seek(partition, found == null ? end.get(partition) : found.offset()));
        while (running && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            consumer.poll(Duration.ofMillis(500)).forEach(this::handle);
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        try {
            handler.accept(record);
        } catch (RuntimeException e) {
            log.warn("could not handle {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (running) {
            try {
                var infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                }
            } catch (TimeoutException e) {
                log.info("waiting for topic {}", topic);
            }
        }
        throw new WakeupException();
    }

    private void pause() {
        try {
            Thread.sleep(1000); // back-off between failed polls of a broker that is away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    public boolean isRunning() {
        return running;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
