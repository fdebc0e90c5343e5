package io.fleetstream.command.followup;

import io.fleetstream.command.access.Memberships;
import io.fleetstream.command.intake.AggregateDirectory;
import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.schemas.Payloads;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.command.Actor;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.schemas.command.CommandEnvelope;
import io.fleetstream.schemas.device.DecommissionDevice;
import io.fleetstream.schemas.team.RemoveTeamMember;
import io.fleetstream.schemas.workspace.MemberRemoved;
import io.fleetstream.schemas.workspace.WorkspaceDeleted;
import io.fleetstream.support.kafka.TopicPublisher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.stereotype.Component;

/**
 * What the platform does itself when a fact calls for changes to other aggregates: a person who leaves a
 * workspace leaves its teams, and a deleted workspace's devices are decommissioned. The follow-up commands
 * go through {@code fleet.commands} like any other, sent by the platform ({@link ActorKind#SYSTEM}), so they
 * are checked, deduplicated, answered and audited the same way.
 *
 * <p>Runs in the tracking processor {@value #GROUP}, whose position is stored only after Kafka took the
 * commands of its batch: a restart sends them again, under the same command ids (derived from the event and
 * the target), and the intake answers a repeat from its dedup table without applying it twice. Its first start
 * goes through the whole history once: removals and deletions from before this processor existed get their
 * follow-ups then.
 */
@Component
@ProcessingGroup(FollowUps.GROUP)
class FollowUps {

    static final String GROUP = "follow-ups";
    static final Actor PLATFORM = Actor.newBuilder().setKind(ActorKind.SYSTEM).setId("command-service").build();
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final Memberships memberships;
    private final AggregateDirectory directory;
    private final TopicPublisher publisher;

    FollowUps(Memberships memberships, AggregateDirectory directory, TopicPublisher publisher) {
        this.memberships = memberships;
        this.directory = directory;
        this.publisher = publisher;
    }

    /**
     * Takes the person out of the teams they joined before they were removed; teams joined after, on coming
     * back, are theirs, however late this runs.
     */
    @EventHandler
    void on(MemberRemoved event, EventMessage<?> message) {
        List<SpecificRecord> commands = new ArrayList<>();
        for (String team : memberships.teamsOf(event.getWorkspaceId(), event.getUserId(), message.getTimestamp())) {
            commands.add(RemoveTeamMember.newBuilder().setTeamId(team).setUserId(event.getUserId()).build());
        }
        send(event.getWorkspaceId(), message.getIdentifier(), commands);
    }

    @EventHandler
    void on(WorkspaceDeleted event, EventMessage<?> message) {
        List<SpecificRecord> commands = new ArrayList<>();
        for (String device : directory.idsOf("device", event.getWorkspaceId())) {
            commands.add(DecommissionDevice.newBuilder().setDeviceId(device).setReason("workspace deleted").build());
        }
        send(event.getWorkspaceId(), message.getIdentifier(), commands);
    }

    /** Sends the commands and waits until Kafka has them all, so that the processor's position moves only then. */
    private void send(String workspaceId, String eventId, List<SpecificRecord> commands) {
        List<CompletableFuture<?>> sent = new ArrayList<>(commands.size());
        for (SpecificRecord command : commands) {
            CommandEnvelope envelope = envelope(workspaceId, eventId, command);
            sent.add(publisher.send(Topics.COMMANDS, envelope.getAggregateId(), envelope));
        }
        TopicPublisher.awaitAll(sent, SEND_TIMEOUT, "the follow-up commands of event " + eventId);
    }

    /** The command's envelope; its id is the same each time the same event calls for it. */
    static CommandEnvelope envelope(String workspaceId, String eventId, SpecificRecord command) {
        CommandSpec spec = CommandSpec.of(command);
        String target = spec.aggregateId(command);
        String commandId = UUID.nameUUIDFromBytes((GROUP + "/" + eventId + "/" + spec.typeName() + "/" + target)
                .getBytes(StandardCharsets.UTF_8)).toString();
        return CommandEnvelope.newBuilder()
                .setCommandId(commandId)
                .setType(spec.typeName())
                .setAggregateType(spec.aggregateType())
                .setWorkspaceId(workspaceId)
                .setAggregateId(target)
                .setActor(PLATFORM)
                .setIssuedAt(Instant.now())
                .setPayload(ByteBuffer.wrap(Payloads.encode(command)))
                .build();
    }
}
