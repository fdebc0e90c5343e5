package io.fleetstream.command.intake;

import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.support.errors.CommandErrors;
import io.fleetstream.support.web.ErrorCode;
import io.fleetstream.schemas.MalformedRecordException;
import io.fleetstream.schemas.Payloads;
import io.fleetstream.schemas.command.CommandEnvelope;
import io.fleetstream.schemas.command.CommandResult;
import io.fleetstream.schemas.command.CommandStatus;
import io.fleetstream.schemas.RecordRules;
import io.fleetstream.support.kafka.Failures;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.common.caching.Cache;
import org.springframework.beans.factory.annotation.Qualifier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies one command envelope at most once in effect: the command's events and its answer in
 * {@code processed_command} commit together, and a command id seen before is answered from there.
 *
 * <p>Called inside the transaction of a whole batch of commands ({@link CommandIntake}); each command is
 * applied behind a savepoint of its own, so that one refused command undoes only itself.
 */
@Component
public class CommandProcessor {

    static final ErrorCode MALFORMED = CommandErrors.MALFORMED;
    static final ErrorCode INVALID = CommandErrors.INVALID;
    static final ErrorCode UNPROCESSABLE = CommandErrors.UNPROCESSABLE;
    private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);

    private final CommandGateway commands;
    private final EventStore eventStore;
    private final ProcessedCommands processed;
    /** A savepoint inside the batch's transaction (a transaction of its own when there is none). */
    private final TransactionTemplate transaction;
    private final Clock clock;

    private final Cache aggregates;
    private final AppliedVersions versions;

    CommandProcessor(CommandGateway commands, EventStore eventStore, ProcessedCommands processed,
            PlatformTransactionManager transactions, @Qualifier(CommandTargets.CACHE) Cache aggregates,
            AppliedVersions versions) {
        this.aggregates = aggregates;
        this.versions = versions;
        this.commands = commands;
        this.eventStore = eventStore;
        this.processed = processed;
        this.transaction = new TransactionTemplate(transactions);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.clock = Clock.systemUTC();
    }

    public CommandResult process(CommandEnvelope envelope) {
        return processed.find(envelope.getCommandId()).orElseGet(() -> firstTime(envelope));
    }

    /** The recorded answers of those of these command ids that were processed before, in one query. */
    public Map<String, CommandResult> answered(Collection<String> commandIds) {
        return processed.findAll(commandIds);
    }

    /** Applies a command not answered before (see {@link #answered}); a duplicate found only now is answered as recorded. */
    public CommandResult firstTime(CommandEnvelope envelope) {
        SpecificRecord payload;
        CommandSpec spec;
        try {
            payload = validPayload(envelope);
            spec = CommandSpec.of(payload);
        } catch (MalformedRecordException e) {
            return recordRejection(envelope, MALFORMED, e.getMessage());
        }
        List<RecordRules.Violation> invalid = RecordRules.check(payload);
        if (!invalid.isEmpty()) {
            return recordRejection(envelope, INVALID, describe(invalid));
        }
        try {
            return transaction.execute(status -> {
                Long applied = versions.track(envelope.getAggregateId(), () -> commands.sendAndWait(
                        GenericCommandMessage.asCommandMessage(payload).andMetaData(metadata(envelope))));
                // a command that changed nothing applied no event: its aggregate's version is read back
                long version = applied != null ? applied
                        : eventStore.lastSequenceNumberFor(envelope.getAggregateId()).orElse(-1L);
                CommandResult result = result(envelope, CommandStatus.ACCEPTED).setAggregateType(spec.aggregateType())
                        .setAggregateVersion(version).build();
                processed.insert(result);
                return result;
            });
        } catch (RuntimeException e) {
            // the savepoint undid the command: what Axon kept of it in memory must go too
            aggregates.remove(envelope.getAggregateId());
            return refused(envelope, spec, e);
        }
    }

    /** The answer to a command its savepoint undid, or the failure that passes, rethrown. */
    private CommandResult refused(CommandEnvelope envelope, CommandSpec spec, RuntimeException failure) {
        try {
            throw failure;
        } catch (DuplicateKeyException e) {
            // another consumer applied the same command id a moment ago: answer as it did
            return processed.find(envelope.getCommandId()).orElseThrow(() -> e);
        } catch (CommandRejectedException e) {
            return recordRejection(envelope, e.error(), e.getMessage());
        } catch (AggregateNotFoundException e) {
            CommandRejectedException refusal = CommandRejectedException.notFound(spec.aggregateType(), envelope.getAggregateId());
            return recordRejection(envelope, refusal.error(), refusal.getMessage());
        } catch (ConcurrencyException e) {
            if (!spec.creates()) {
                throw e; // a concurrent writer on the same aggregate: redelivery retries against the new state
            }
            CommandRejectedException refusal = CommandRejectedException.exists(spec.aggregateType(), envelope.getAggregateId());
            return recordRejection(envelope, refusal.error(), refusal.getMessage());
        }
    }

    private static SpecificRecord validPayload(CommandEnvelope envelope) {
        if (envelope.getCommandId().isBlank() || envelope.getCommandId().length() > 64) {
            throw new MalformedRecordException("commandId must be 1 to 64 characters");
        }
        if (envelope.getWorkspaceId().isBlank()) {
            throw new MalformedRecordException("workspaceId is required");
        }
        byte[] bytes = new byte[envelope.getPayload().remaining()];
        envelope.getPayload().duplicate().get(bytes);
        SpecificRecord payload = Payloads.decode(envelope.getType(), bytes);
        if (!Payloads.COMMANDS.contains(payload.getClass())) {
            throw new MalformedRecordException(envelope.getType() + " is not a command");
        }
        CommandSpec spec = CommandSpec.of(payload);
        if (envelope.getAggregateType() != null && !envelope.getAggregateType().equals(spec.aggregateType())) {
            throw new MalformedRecordException(envelope.getType() + " changes a " + spec.aggregateType()
                    + ", not the envelope's aggregateType");
        }
        if (!envelope.getAggregateId().equals(spec.aggregateId(payload))) {
            throw new MalformedRecordException("payload targets another aggregate than the envelope's aggregateId");
        }
        return payload;
    }

    private static Map<String, Object> metadata(CommandEnvelope envelope) {
        Map<String, Object> metadata = new java.util.HashMap<>(Map.of(CommandMetadata.WORKSPACE_ID, envelope.getWorkspaceId(),
                CommandMetadata.COMMAND_ID, envelope.getCommandId(),
                CommandMetadata.ACTOR_KIND, envelope.getActor().getKind().name(),
                CommandMetadata.ACTOR_ID, envelope.getActor().getId()));
        if (envelope.getRequestId() != null) {
            metadata.put(CommandMetadata.REQUEST_ID, envelope.getRequestId());
        }
        return metadata;
    }

    private CommandResult recordRejection(CommandEnvelope envelope, ErrorCode code, String message) {
        log.info("command {} {} rejected: {} {}", envelope.getCommandId(), envelope.getType(), code.code(), message);
        CommandResult result = refusal(envelope, code, message);
        try {
            transaction.executeWithoutResult(status -> processed.insert(result));
            return result;
        } catch (DuplicateKeyException e) {
            return processed.find(envelope.getCommandId()).orElseThrow(() -> e);
        } catch (RuntimeException e) {
            if (!Failures.isPermanent(e)) {
                throw e;
            }
            // the answer itself cannot be stored: answer anyway, the same each time the command comes again
            log.error("rejection of command {} not recorded: {}", envelope.getCommandId(), Failures.describe(e));
            return result;
        }
    }

    /**
     * The answer to a command whose applying failed in a way no retry cures (the database refuses what it
     * carries): nothing of it was applied, and it must not block the commands behind it.
     */
    public CommandResult unprocessable(CommandEnvelope envelope, Throwable failure) {
        String state = Failures.sqlState(failure);
        return recordRejection(envelope, UNPROCESSABLE, "The command could not be stored"
                + (state == null ? "." : " (SQLSTATE " + state + ")."));
    }

    /** A rejection that is not recorded, for envelopes whose own ids break the contract. */
    public CommandResult refusal(CommandEnvelope envelope, ErrorCode code, String message) {
        return result(envelope, CommandStatus.REJECTED).setErrorCode(code.code()).setErrorMessage(message).build();
    }

    /** The violations of a contract, as a message that quotes no input. */
    public static String describe(List<RecordRules.Violation> violations) {
        return violations.stream().map(v -> v.field() + " " + v.message()).collect(Collectors.joining("; "));
    }

    private CommandResult.Builder result(CommandEnvelope envelope, CommandStatus status) {
        return CommandResult.newBuilder()
                .setCommandId(envelope.getCommandId())
                .setWorkspaceId(envelope.getWorkspaceId())
                .setAggregateId(envelope.getAggregateId())
                .setAggregateType(envelope.getAggregateType() != null ? envelope.getAggregateType()
                        : CommandSpec.forType(envelope.getType()).map(CommandSpec::aggregateType).orElse(null))
                .setCommandType(envelope.getType())
                .setActor(envelope.getActor())
                .setRequestId(envelope.getRequestId())
                .setStatus(status)
                .setCompletedAt(clock.instant());
    }
}
