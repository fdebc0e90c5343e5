package io.fleetstream.gateway.command;

import io.fleetstream.gateway.kafka.TopicTail;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.command.CommandResult;
import io.fleetstream.support.kafka.FleetKafkaProperties;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Completes the writes waiting for their command's answer from {@code fleet.command-results}, read from
 * its end by every gateway instance; answers to other instances' commands are ignored.
 */
@Component
class CommandResults implements SmartLifecycle {

    private final FleetKafkaProperties kafka;
    private final Map<String, CompletableFuture<CommandResult>> waiting = new ConcurrentHashMap<>();
    private TopicTail tail;

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

    private void complete(ConsumerRecord<byte[], byte[]> record) {
        CommandResult result = Topics.COMMAND_RESULTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
        CompletableFuture<CommandResult> future = result == null ? null : waiting.get(result.getCommandId());
        if (future != null) {
            future.complete(result);
        }
    }

    @Override
    public void start() {
        tail = new TopicTail(kafka.bootstrap(), Topics.COMMAND_RESULTS.name(), this::complete);
        tail.start();
    }

    @Override
    public void stop() {
        tail.close();
        // Writes still waiting now were sent: their outcome is unknown, never "not sent".
        waiting.values().forEach(f -> f.completeExceptionally(new IllegalStateException("gateway stopping")));
    }

    @Override
    public boolean isRunning() {
        return tail != null && tail.isRunning();
    }

    /** Before the web server starts taking writes, and stopped only after it has finished them. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
