package io.fleetstream.command.intake;

import io.fleetstream.schemas.MalformedRecordException;
import io.fleetstream.schemas.Payloads;
import io.fleetstream.schemas.RecordRules;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.command.CommandEnvelope;
import io.fleetstream.schemas.command.CommandResult;
import io.fleetstream.support.kafka.DeadLetters;
import io.fleetstream.support.kafka.Failures;
import io.fleetstream.support.kafka.TopicPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.axonframework.common.caching.Cache;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Consumes {@code fleet.commands} and answers each command on {@code fleet.command-results}.
 *
 * <p>Each partition's records are taken a batch at a time: the batch's commands are applied in order in
 * one transaction (each behind its own savepoint, see {@link CommandProcessor}), and their answers are
 * sent together only after it committed. If any answer cannot be sent, the batch is redelivered and
 * answered again from the dedup table, so nothing is applied twice and nothing goes unanswered. Several
 * partitions are consumed at once ({@code fleet.commands.intake-concurrency}); an aggregate's commands
 * share a partition (the key is the aggregate id), so they are still applied one after another in order.
 * Records that are not command envelopes go to {@code fleet.deadletter}.
 */
@Component
class CommandIntake implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(CommandIntake.class);
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final CommandProcessor processor;
    private final TopicPublisher publisher;
    private final DeadLetters deadLetters;
    private final MeterRegistry metrics;
    private final TransactionTemplate batchTransaction;
    private final Cache aggregates;
    private final AggregateDirectory directory;

    CommandIntake(CommandProcessor processor, TopicPublisher publisher, DeadLetters deadLetters, MeterRegistry metrics,
            PlatformTransactionManager transactions, @Qualifier(CommandTargets.CACHE) Cache aggregates,
            AggregateDirectory directory) {
        this.aggregates = aggregates;
        this.directory = directory;
        this.processor = processor;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.batchTransaction = new TransactionTemplate(transactions);
    }

    /**
     * Partitions that move between instances take their aggregates' truth with them: whatever memory held of
     * an aggregate another instance may have changed since is dropped.
     */
    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        aggregates.removeAll();
        directory.forgetAll();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        aggregates.removeAll();
        directory.forgetAll();
    }

    /** An answer to send, with what the metrics need. */
    private record Answer(CommandResult result, String type, Timer.Sample sample) {
    }

    @KafkaListener(id = "command-intake", topics = "fleet.commands", groupId = "command-service", batch = "true",
            concurrency = "${fleet.commands.intake-concurrency:4}")
    void on(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        // a failure that passes (the database or Kafka away) rolls the whole batch back: retried with back-off
        List<Answer> answers = batchTransaction.execute(status -> {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int outcome) {
                    if (outcome != STATUS_COMMITTED) {
                        // the batch's changes were undone: so is what memory kept of them
                        aggregates.removeAll();
                        directory.forgetAll();
                    }
                }
            });
            List<CommandEnvelope> envelopes = new ArrayList<>(records.size());
            for (ConsumerRecord<byte[], byte[]> record : records) {
                envelopes.add(envelope(record));
            }
            // the answers of commands seen before, in one query; then those given in this batch
            // only ids that keep their contract are looked up: an id the database cannot take (a NUL, say) must
            // not fail the batch, it is answered as invalid below
            Map<String, CommandResult> answered = new HashMap<>(processor.answered(envelopes.stream()
                    .filter(Objects::nonNull).filter(e -> RecordRules.check(e).isEmpty())
                    .map(CommandEnvelope::getCommandId).toList()));
            List<Answer> applied = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                Answer answer = envelopes.get(i) == null ? null : handle(records.get(i), envelopes.get(i), answered);
                if (answer != null) {
                    answered.put(answer.result().getCommandId(), answer.result());
                    applied.add(answer);
                }
            }
            return applied;
        });
        List<CompletableFuture<?>> sent = new ArrayList<>(answers.size());
        for (Answer answer : answers) {
            sent.add(publisher.send(Topics.COMMAND_RESULTS, answer.result().getCommandId(), answer.result()));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        answers.forEach(this::count);
    }

    /** The record's envelope; null (and dead-lettered) for one that is not a command envelope at all. */
    private CommandEnvelope envelope(ConsumerRecord<byte[], byte[]> record) {
        try {
            CommandEnvelope envelope = Topics.COMMANDS.valueSerde().deserializer().deserialize(record.topic(), record.value());
            if (envelope == null) {
                throw new MalformedRecordException("empty record");
            }
            return envelope;
        } catch (MalformedRecordException e) {
            deadLetter(record, "command.unreadable", e.getMessage());
            return null;
        }
    }

    /** Applies or refuses one command inside the batch's transaction, or answers it as before. */
    private Answer handle(ConsumerRecord<byte[], byte[]> record, CommandEnvelope envelope,
            Map<String, CommandResult> answered) {
        Timer.Sample sample = Timer.start(metrics);
        List<RecordRules.Violation> invalid = RecordRules.check(envelope);
        if (!invalid.isEmpty()) {
            // its own ids may be what cannot be stored: answered and dead-lettered, not recorded
            String reason = CommandProcessor.describe(invalid);
            deadLetter(record, "command.invalid", reason);
            return new Answer(processor.refusal(envelope, CommandProcessor.INVALID, reason), typeOf(envelope), sample);
        }
        CommandResult before = answered.get(envelope.getCommandId());
        if (before != null) {
            return new Answer(before, typeOf(envelope), sample);
        }
        try (MDC.MDCCloseable command = MDC.putCloseable("commandId", envelope.getCommandId());
                MDC.MDCCloseable workspace = MDC.putCloseable("workspaceId", envelope.getWorkspaceId());
                MDC.MDCCloseable aggregate = MDC.putCloseable("aggregateId", envelope.getAggregateId())) {
            CommandResult result;
            try {
                result = processor.firstTime(envelope);
            } catch (RuntimeException e) {
                if (e instanceof ConcurrencyException || !Failures.isPermanent(e)) {
                    // another writer of the aggregate, or the database or Kafka is away: the batch is retried
                    // with back-off, against the state then
                    throw e;
                }
                log.error("command {} {} cannot be applied, answered rejected: {}", envelope.getCommandId(),
                        envelope.getType(), Failures.describe(e), e);
                deadLetter(record, "command.unprocessable", Failures.describe(e));
                result = processor.unprocessable(envelope, e);
            }
            return new Answer(result, typeOf(envelope), sample);
        }
    }

    /** Only known types become metric tags: an outside producer must not be able to mint new time series. */
    private static String typeOf(CommandEnvelope envelope) {
        return Payloads.codecFor(envelope.getType()).isPresent() ? envelope.getType() : "unknown";
    }

    /** Counts an answered command by type and outcome with the time from intake to its answer being sent. */
    private void count(Answer answer) {
        CommandResult result = answer.result();
        answer.sample().stop(Timer.builder("fleet.commands").description("commands applied or rejected, from intake to answer")
                .tag("type", answer.type())
                .tag("outcome", result.getStatus().name().toLowerCase())
                .tag("code", result.getErrorCode() == null ? "none" : result.getErrorCode())
                .register(metrics));
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reasonCode, String reason) {
        deadLetters.send(record.topic() + "/" + record.partition() + "@" + record.offset(), reasonCode,
                reason, null, null, record.value());
    }
}
