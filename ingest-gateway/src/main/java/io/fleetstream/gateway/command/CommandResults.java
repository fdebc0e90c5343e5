package io.fleetstream.gateway.command;

import io.fleetstream.schemas.MalformedRecordException;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.command.CommandResult;
import io.fleetstream.support.kafka.FleetKafkaProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads every partition of {@code fleet.command-results} from its end, without a consumer group, so
 * that each gateway instance sees the answers to the commands it sent, and completes the waiting
 * requests. Answers to other instances' commands are ignored.
 */
@Component
class CommandResults implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommandResults.class);

    private final FleetKafkaProperties kafka;
    private final Map<String, CompletableFuture<CommandResult>> waiting = new ConcurrentHashMap<>();
    private final CountDownLatch positioned = new CountDownLatch(1);
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean running;
    private Thread thread;

    CommandResults(FleetKafkaProperties kafka) {
        this.kafka = kafka;
    }

    /** Registers interest in a command's answer; call before sending the command. */
    CompletableFuture<CommandResult> expect(String commandId) {
        CompletableFuture<CommandResult> future = new CompletableFuture<>();
        waiting.put(commandId, future);
        return future;
    }

    /** Stops waiting for a command's answer (answered, timed out or abandoned). */
    void forget(String commandId) {
        waiting.remove(commandId);
    }

    /** Before the web server starts taking writes, and stopped only after it has finished them. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::run, "command-results");
        thread.setDaemon(true);
        thread.start();
        try {
            if (!positioned.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("could not position on " + Topics.COMMAND_RESULTS.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the end now: answers to later commands come after it
            positioned.countDown();
            while (running) {
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        complete(record);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // Kafka away or slow: keep reading; waiting writes time out on their own
                    log.warn("reading {} failed, retrying: {}", Topics.COMMAND_RESULTS.name(), e.getMessage());
                    pause();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } finally {
            consumer.close();
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (running) {
            try {
                var infos = consumer.partitionsFor(Topics.COMMAND_RESULTS.name(), Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                log.info("waiting for topic {}", Topics.COMMAND_RESULTS.name());
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

    private void complete(ConsumerRecord<byte[], byte[]> record) {
        try {
            CommandResult result = Topics.COMMAND_RESULTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
            CompletableFuture<CommandResult> future = result == null ? null : waiting.get(result.getCommandId());
            if (future != null) {
                future.complete(result);
            }
        } catch (MalformedRecordException e) {
            log.warn("unreadable command result at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    @Override
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        // Writes still waiting now were sent: their outcome is unknown, never "not sent".
        waiting.values().forEach(f -> f.completeExceptionally(new IllegalStateException("gateway stopping")));
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
