package io.fleetstream.command.team;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.fleetstream.command.access.Memberships;
import io.fleetstream.command.intake.CommandRejectedException;
import io.fleetstream.command.intake.CommandTargets;
import io.fleetstream.schemas.team.AddTeamMember;
import io.fleetstream.schemas.team.CreateTeam;
import io.fleetstream.schemas.team.DeleteTeam;
import io.fleetstream.schemas.team.RemoveTeamMember;
import io.fleetstream.schemas.team.RenameTeam;
import io.fleetstream.schemas.team.TeamCreated;
import io.fleetstream.schemas.team.TeamDeleted;
import io.fleetstream.schemas.team.TeamMemberAdded;
import io.fleetstream.schemas.team.TeamMemberRemoved;
import io.fleetstream.schemas.team.TeamRenamed;
import io.fleetstream.support.errors.TeamErrors;
import java.util.HashSet;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A team of a workspace: a name and some of the workspace's members; devices may belong to it. Only a
 * member of the workspace joins (checked against the command service's current memberships); a deleted
 * team takes no more commands.
 */
@Aggregate(type = "team", commandTargetResolver = CommandTargets.BEAN, cache = CommandTargets.CACHE)
class Team {

    @AggregateIdentifier
    private String teamId;
    private String workspaceId;
    private String name;
    private boolean deleted;
    private final Set<String> members = new HashSet<>();

    protected Team() {
        // for Axon's event sourcing
    }

    @CommandHandler
    Team(CreateTeam command) {
        apply(TeamCreated.newBuilder().setTeamId(command.getTeamId()).setWorkspaceId(command.getWorkspaceId())
                .setName(command.getName()).build());
    }

    @CommandHandler
    void handle(RenameTeam command) {
        requireLive();
        if (!command.getName().equals(name)) {
            apply(TeamRenamed.newBuilder().setTeamId(teamId).setName(command.getName()).build());
        }
    }

    @CommandHandler
    void handle(DeleteTeam command) {
        requireLive();
        apply(TeamDeleted.newBuilder().setTeamId(teamId).build());
    }

    @CommandHandler
    void handle(AddTeamMember command, Memberships memberships) {
        requireLive();
        if (memberships.role(workspaceId, command.getUserId()).isEmpty()) {
            throw new CommandRejectedException(TeamErrors.NOT_A_MEMBER, "User " + command.getUserId()
                    + " is not a member of the team's workspace");
        }
        if (!members.contains(command.getUserId())) {
            apply(TeamMemberAdded.newBuilder().setTeamId(teamId).setUserId(command.getUserId()).build());
        }
    }

    @CommandHandler
    void handle(RemoveTeamMember command) {
        requireLive();
        if (members.contains(command.getUserId())) {
            apply(TeamMemberRemoved.newBuilder().setTeamId(teamId).setUserId(command.getUserId()).build());
        }
    }

    private void requireLive() {
        if (deleted) {
            throw new CommandRejectedException(TeamErrors.DELETED, "Team " + teamId + " was deleted");
        }
    }

    @EventSourcingHandler
    void on(TeamCreated event) {
        teamId = event.getTeamId();
        workspaceId = event.getWorkspaceId();
        name = event.getName();
    }

    @EventSourcingHandler
    void on(TeamRenamed event) {
        name = event.getName();
    }

    @EventSourcingHandler
    void on(TeamDeleted event) {
        deleted = true;
    }

    @EventSourcingHandler
    void on(TeamMemberAdded event) {
        members.add(event.getUserId());
    }

    @EventSourcingHandler
    void on(TeamMemberRemoved event) {
        members.remove(event.getUserId());
    }
}
