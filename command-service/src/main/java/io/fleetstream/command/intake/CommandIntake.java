package io.fleetstream.command.intake;

import io.fleetstream.schemas.MalformedRecordException;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.command.CommandEnvelope;
import io.fleetstream.schemas.command.CommandResult;
import io.fleetstream.schemas.deadletter.DeadLetter;
import io.fleetstream.support.kafka.TopicPublisher;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code fleet.commands} and answers each command on {@code fleet.command-results}. An answer
 * is sent only after the command's transaction committed; if sending fails the record is redelivered
 * and answered again from the dedup table. Records that are not command envelopes go to
 * {@code fleet.deadletter}.
 */
@Component
class CommandIntake {

    private static final Logger log = LoggerFactory.getLogger(CommandIntake.class);
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final CommandProcessor processor;
    private final TopicPublisher publisher;

    CommandIntake(CommandProcessor processor, TopicPublisher publisher) {
        this.processor = processor;
        this.publisher = publisher;
    }

    @KafkaListener(id = "command-intake", topics = "fleet.commands", groupId = "command-service")
    void on(ConsumerRecord<byte[], byte[]> record) throws Exception {
        CommandEnvelope envelope;
        try {
            envelope = Topics.COMMANDS.valueSerde().deserializer().deserialize(record.topic(), record.value());
            if (envelope == null) {
                throw new MalformedRecordException("empty record");
            }
        } catch (MalformedRecordException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        CommandResult result = processor.process(envelope);
        publisher.send(Topics.COMMAND_RESULTS, result.getCommandId(), result).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) throws Exception {
        log.warn("unreadable record {}-{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(),
                Topics.DEADLETTER.name(), reason);
        DeadLetter letter = DeadLetter.newBuilder()
                .setSource("command-service")
                .setOrigin(record.topic() + "/" + record.partition() + "@" + record.offset())
                .setReasonCode("command.unreadable")
                .setReason(reason)
                .setReceivedAt(Instant.now())
                .setPayload(ByteBuffer.wrap(record.value() == null ? new byte[0] : record.value()))
                .build();
        publisher.send(Topics.DEADLETTER, "command-service", letter).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
