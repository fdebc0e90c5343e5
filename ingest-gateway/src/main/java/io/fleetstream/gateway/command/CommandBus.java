package io.fleetstream.gateway.command;

import io.fleetstream.support.errors.CommandErrors;
import io.fleetstream.gateway.GatewayProperties;
import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.schemas.ConsistencyToken;
import io.fleetstream.schemas.Payloads;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.command.Actor;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.schemas.command.CommandEnvelope;
import io.fleetstream.schemas.command.CommandResult;
import io.fleetstream.schemas.command.CommandStatus;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.RefusedWrites;
import io.fleetstream.support.security.Person;
import io.fleetstream.support.web.FleetException;
import io.fleetstream.schemas.RecordRules;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.ErrorCode;
import io.fleetstream.support.errors.ErrorCatalog;
import io.fleetstream.schemas.Text;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import io.fleetstream.support.kafka.TopicPublisher;
import io.fleetstream.support.web.RequestCorrelationFilter;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Sends a person's write as a command on {@code fleet.commands} and waits, bounded, for its answer.
 * An accepted command yields the consistency token the caller passes back to read its own write.
 */
@Component
public class CommandBus implements RefusedWrites {

    private final TopicPublisher publisher;
    private final CommandResults results;
    private final GatewayProperties properties;
    private final MeterRegistry metrics;

    CommandBus(TopicPublisher publisher, CommandResults results, GatewayProperties properties, MeterRegistry metrics) {
        this.publisher = publisher;
        this.results = results;
        this.properties = properties;
        this.metrics = metrics;
    }

    /** An accepted command: the aggregate's version after it, as a read-your-writes token. */
    public record Accepted(ConsistencyToken consistency) {
    }

    /**
     * Sends a command in a workspace as the caller whose grant it is, when the grant allows it: who may send a
     * command is the command's own declaration (its schema's fleet.access and fleet.scope), not each route's.
     */
    public CompletableFuture<Accepted> send(Grant grant, SpecificRecord command) {
        CommandSpec spec = CommandSpec.of(command);
        try {
            grant.require(spec);
        } catch (FleetException refused) {
            refused(grant, spec, spec.aggregateId(command), refused);
            throw refused;
        }
        return send(grant.workspaceId().toString(), grant.actor(), command);
    }

    /**
     * A write the edge refused (the caller's role, scope, or an archived workspace) is answered on
     * {@code fleet.command-results} like one the command service refused, so that the audit log, built from
     * the answers, lists it too. Best effort: the caller's answer does not wait for it.
     */
    @Override
    public void refused(Grant grant, CommandSpec spec, String targetId, FleetException refused) {
        CommandResult result = CommandResult.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setWorkspaceId(grant.workspaceId().toString())
                .setAggregateId(targetId)
                .setStatus(CommandStatus.REJECTED)
                .setAggregateVersion(null)
                .setErrorCode(refused.error().code())
                .setErrorMessage(Text.printable(String.valueOf(refused.getMessage()), 500))
                .setCompletedAt(Instant.now())
                .setAggregateType(spec.aggregateType())
                .setCommandType(spec.typeName())
                .setActor(grant.actor())
                .setRequestId(MDC.get(RequestCorrelationFilter.MDC_KEY))
                .build();
        if (RecordRules.check(result).isEmpty()) {
            publisher.send(Topics.COMMAND_RESULTS, result.getAggregateId(), result).exceptionally(e -> {
                log.warn("the refusal of {} could not be recorded for the audit log: {}", spec.typeName(), e.toString());
                return null;
            });
        }
    }

    /** Waits for a sent command's answer; its problem when refused. For routes that answer after more than one step. */
    public static Accepted await(CompletableFuture<Accepted> sent) {
        try {
            return sent.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Sends a person's command in a workspace (for a user's own aggregate, {@link #PLATFORM}). */
    public CompletableFuture<Accepted> send(String workspaceId, Person person, SpecificRecord command) {
        return send(workspaceId, Actor.newBuilder().setKind(ActorKind.USER).setId(person.userId().toString()).build(),
                command);
    }

    /** The workspace of what belongs to the platform rather than to a tenant: the users. */
    public static final String PLATFORM = Person.PLATFORM_WORKSPACE;

    /** Sends and waits; rejections and time-outs become problem-detail exceptions. */
    public CompletableFuture<Accepted> send(String workspaceId, Actor actor, SpecificRecord command) {
        String commandId = UUID.randomUUID().toString();
        CommandSpec spec = CommandSpec.of(command);
        UUID aggregateId = UUID.fromString(spec.aggregateId(command));
        CommandEnvelope envelope = CommandEnvelope.newBuilder()
                .setCommandId(commandId)
                .setType(spec.typeName())
                .setAggregateType(spec.aggregateType())
                .setRequestId(MDC.get(RequestCorrelationFilter.MDC_KEY))
                .setWorkspaceId(workspaceId)
                .setAggregateId(aggregateId.toString())
                .setActor(actor)
                .setIssuedAt(Instant.now())
                .setPayload(ByteBuffer.wrap(Payloads.encode(command)))
                .build();
        Timer.Sample sample = Timer.start(metrics);
        try {
            requireValid(envelope, command);
        } catch (FleetException e) {
            count(sample, envelope.getType(), e.error().code());
            throw e;
        }
        CompletableFuture<CommandResult> answer = results.expect(commandId);
        return publisher.send(Topics.COMMANDS, envelope.getAggregateId(), envelope)
                .handle((sent, error) -> {
                    if (error != null) {
                        results.forget(commandId);
                        throw new FleetException(CommandErrors.UNAVAILABLE, "Kafka did not take the command.");
                    }
                    return sent;
                })
                .thenCompose(sent -> answer.orTimeout(properties.commandTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .handle((result, error) -> {
                    results.forget(commandId);
                    try {
                        Accepted accepted = outcome(commandId, spec, aggregateId, result, error);
                        count(sample, envelope.getType(), "accepted");
                        return accepted;
                    } catch (FleetException e) {
                        count(sample, envelope.getType(), e.error().code());
                        throw e;
                    }
                });
    }

    /** Writes by command type and outcome ({@code accepted}, or the error code answered), with their time. */
    private void count(Timer.Sample sample, String type, String outcome) {
        sample.stop(Timer.builder("fleet.gateway.commands").description("writes sent as commands, until answered")
                .tag("type", type).tag("outcome", outcome).register(metrics));
    }

    /**
     * The one check every command passes before it leaves the edge: each text of the envelope and of the
     * command keeps its contract's rules ({@link RecordRules}), so nothing unstorable reaches the command
     * service or a read model. The envelope's texts come from the caller's token.
     */
    private static void requireValid(CommandEnvelope envelope, SpecificRecord command) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (RecordRules.Violation violation : RecordRules.check(envelope)) {
            errors.add(Map.of("field", ENVELOPE_FIELDS.getOrDefault(violation.field(), violation.field()),
                    "message", violation.message()));
        }
        for (RecordRules.Violation violation : RecordRules.check(command)) {
            errors.add(Map.of("field", violation.field(), "message", violation.message()));
        }
        if (!errors.isEmpty()) {
            throw new FleetException(CommonErrors.INVALID_REQUEST, errors.size() + " field(s) invalid",
                    Map.of("errors", errors));
        }
    }

    /**
     * The catalog entry of a rejection. The catalog's test makes sure every code the command service answers
     * is in it; one that is not is a defect of the platform, answered as such and logged, never guessed at.
     */
    private static ErrorCode rejection(String commandId, String code) {
        return ErrorCatalog.find(code).orElseGet(() -> {
            log.error("command {} was rejected with {}, a code the error catalog does not know", commandId,
                    Text.printable(String.valueOf(code), 80));
            return CommonErrors.INTERNAL;
        });
    }

    private static final Logger log = LoggerFactory.getLogger(CommandBus.class);

    /** Where the envelope's texts came from, as the caller knows them. */
    private static final Map<String, String> ENVELOPE_FIELDS = Map.of(
            "workspaceId", "workspace",
            "actor.id", "token: sub claim",
            "aggregateId", "id");

    private static Accepted outcome(String commandId, CommandSpec spec, UUID aggregateId, CommandResult result,
            Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
        if (cause instanceof FleetException fleet) {
            throw fleet; // not sent
        }
        if (cause != null) {
            // sent, but no answer came: it may still be applied
            throw new FleetException(CommandErrors.TIMEOUT, "Command " + commandId + " was sent but not answered in time.",
                    java.util.Map.of("commandId", commandId));
        }
        if (result.getStatus() == CommandStatus.REJECTED) {
            throw new FleetException(rejection(commandId, result.getErrorCode()), result.getErrorMessage());
        }
        return new Accepted(new ConsistencyToken(spec.aggregateType(), aggregateId, result.getAggregateVersion()));
    }
}
