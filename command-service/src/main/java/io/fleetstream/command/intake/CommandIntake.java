package io.fleetstream.command.intake;

import io.fleetstream.schemas.MalformedRecordException;
import io.fleetstream.schemas.Payloads;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.fleetstream.schemas.RecordRules;
import io.fleetstream.support.kafka.Failures;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.command.CommandEnvelope;
import io.fleetstream.schemas.command.CommandResult;
import io.fleetstream.support.kafka.DeadLetters;
import io.fleetstream.support.kafka.TopicPublisher;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.MDC;
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
    private final DeadLetters deadLetters;

    private final MeterRegistry metrics;

    CommandIntake(CommandProcessor processor, TopicPublisher publisher, DeadLetters deadLetters, MeterRegistry metrics) {
        this.processor = processor;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
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
        Timer.Sample sample = Timer.start(metrics);
        List<RecordRules.Violation> invalid = RecordRules.check(envelope);
        if (!invalid.isEmpty()) {
            // its own ids may be what cannot be stored: answered and dead-lettered, not recorded
            String reason = CommandProcessor.describe(invalid);
            deadLetter(record, "command.invalid", reason);
            answer(processor.refusal(envelope, CommandProcessor.INVALID, reason), typeOf(envelope), sample);
            return;
        }
        try (MDC.MDCCloseable command = MDC.putCloseable("commandId", envelope.getCommandId());
                MDC.MDCCloseable workspace = MDC.putCloseable("workspaceId", envelope.getWorkspaceId());
                MDC.MDCCloseable aggregate = MDC.putCloseable("aggregateId", envelope.getAggregateId())) {
            CommandResult result;
            try {
                result = processor.process(envelope);
            } catch (RuntimeException e) {
                if (e instanceof ConcurrencyException || !Failures.isPermanent(e)) {
                    // another writer of the aggregate, or the database or Kafka is away: the same record is
                    // retried with back-off, against the state then
                    throw e;
                }
                log.error("command {} {} cannot be applied, answered rejected: {}", envelope.getCommandId(),
                        envelope.getType(), Failures.describe(e), e);
                deadLetter(record, "command.unprocessable", Failures.describe(e));
                result = processor.unprocessable(envelope, e);
            }
            answer(result, typeOf(envelope), sample);
        }
    }

    /** Only known types become metric tags: an outside producer must not be able to mint new time series. */
    private static String typeOf(CommandEnvelope envelope) {
        return Payloads.codecFor(envelope.getType()).isPresent() ? envelope.getType() : "unknown";
    }

    /** Answers on fleet.command-results; counts the command by type and outcome with the time it took. */
    private void answer(CommandResult result, String type, Timer.Sample sample) throws Exception {
        sample.stop(Timer.builder("fleet.commands").description("commands applied or rejected, from intake to answer")
                .tag("type", type)
                .tag("outcome", result.getStatus().name().toLowerCase())
                .tag("code", result.getErrorCode() == null ? "none" : result.getErrorCode())
                .register(metrics));
        publisher.send(Topics.COMMAND_RESULTS, result.getCommandId(), result).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        deadLetter(record, "command.unreadable", reason);
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reasonCode, String reason) {
        deadLetters.send(record.topic() + "/" + record.partition() + "@" + record.offset(), reasonCode,
                reason, null, null, record.value());
    }
}
