package io.fleetstream.command.intake;

import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.schemas.MalformedRecordException;
import io.fleetstream.schemas.Payloads;
import io.fleetstream.schemas.command.CommandEnvelope;
import io.fleetstream.schemas.command.CommandResult;
import io.fleetstream.schemas.command.CommandStatus;
import io.fleetstream.schemas.RecordRules;
import io.fleetstream.support.kafka.Failures;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies one command envelope at most once in effect: the command's events and its answer in
 * {@code processed_command} commit together, and a command id seen before is answered from there.
 */
@Component
public class CommandProcessor {

    static final String MALFORMED = "command.malformed";
    static final String INVALID = "command.invalid";
    static final String UNPROCESSABLE = "command.unprocessable";
    private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);

    private final CommandGateway commands;
    private final EventStore eventStore;
    private final ProcessedCommands processed;
    private final TransactionTemplate transaction;
    private final Clock clock;

    CommandProcessor(CommandGateway commands, EventStore eventStore, ProcessedCommands processed,
            TransactionTemplate transaction) {
        this.commands = commands;
        this.eventStore = eventStore;
        this.processed = processed;
        this.transaction = transaction;
        this.clock = Clock.systemUTC();
    }

    public CommandResult process(CommandEnvelope envelope) {
        return processed.find(envelope.getCommandId()).orElseGet(() -> firstTime(envelope));
    }

    private CommandResult firstTime(CommandEnvelope envelope) {
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
                commands.sendAndWait(GenericCommandMessage.asCommandMessage(payload).andMetaData(metadata(envelope)));
                long version = eventStore.lastSequenceNumberFor(envelope.getAggregateId()).orElse(-1L);
                CommandResult result = result(envelope, CommandStatus.ACCEPTED).setAggregateType(spec.aggregateType())
                        .setAggregateVersion(version).build();
                processed.insert(result);
                return result;
            });
        } catch (DuplicateKeyException e) {
            // another consumer applied the same command id a moment ago: answer as it did
            return processed.find(envelope.getCommandId()).orElseThrow(() -> e);
        } catch (CommandRejectedException e) {
            return recordRejection(envelope, e.code(), e.getMessage());
        } catch (AggregateNotFoundException e) {
            CommandRejectedException refusal = CommandRejectedException.notFound(spec.aggregateType(), envelope.getAggregateId());
            return recordRejection(envelope, refusal.code(), refusal.getMessage());
        } catch (ConcurrencyException e) {
            if (!spec.creates()) {
                throw e; // a concurrent writer on the same aggregate: redelivery retries against the new state
            }
            CommandRejectedException refusal = CommandRejectedException.exists(spec.aggregateType(), envelope.getAggregateId());
            return recordRejection(envelope, refusal.code(), refusal.getMessage());
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

    private CommandResult recordRejection(CommandEnvelope envelope, String code, String message) {
        log.info("command {} {} rejected: {} {}", envelope.getCommandId(), envelope.getType(), code, message);
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
    public CommandResult refusal(CommandEnvelope envelope, String code, String message) {
        return result(envelope, CommandStatus.REJECTED).setErrorCode(code).setErrorMessage(message).build();
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
