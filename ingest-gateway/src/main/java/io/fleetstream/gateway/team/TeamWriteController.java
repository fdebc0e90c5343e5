package io.fleetstream.gateway.team;

import io.fleetstream.gateway.command.CommandBus;
import io.fleetstream.schemas.ConsistencyToken;
import io.fleetstream.schemas.team.AddTeamMember;
import io.fleetstream.schemas.team.CreateTeam;
import io.fleetstream.schemas.team.DeleteTeam;
import io.fleetstream.schemas.team.RemoveTeamMember;
import io.fleetstream.schemas.team.RenameTeam;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.WorkspaceRoute;
import io.fleetstream.support.errors.TeamErrors;
import io.fleetstream.support.errors.WorkspaceErrors;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import io.fleetstream.support.web.ErrorCode;
import io.fleetstream.support.web.PathIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Teams of a workspace (owner or admin): create, rename, delete, and their members. */
@RestController
@Tag(name = "Teams")
class TeamWriteController {

    private final CommandBus commands;

    TeamWriteController(CommandBus commands) {
        this.commands = commands;
    }

    record TeamName(String name) {
    }

    @PostMapping(path = "/v1/workspaces/{workspace}/teams", consumes = "application/json")
    @Operation(summary = "Create a team (owner or admin)")
    @WorkspaceRoute(command = CreateTeam.class)
    ResponseEntity<Map<String, Object>> create(Grant grant, @RequestBody TeamName body) {
        String name = requireName(body);
        UUID id = UUID.randomUUID();
        CommandBus.Accepted accepted = CommandBus.await(commands.send(grant, CreateTeam.newBuilder().setTeamId(id.toString())
                .setWorkspaceId(grant.workspaceId().toString()).setName(name).build()));
        return ResponseEntity.created(URI.create("/v1/workspaces/" + grant.slug() + "/teams/" + id))
                .header(ConsistencyToken.HEADER, accepted.consistency().toString())
                .body(Map.of("id", id.toString(), "name", name));
    }

    @PatchMapping(path = "/v1/workspaces/{workspace}/teams/{teamId}", consumes = {"application/json", "application/merge-patch+json"})
    @Operation(summary = "Rename a team (owner or admin)")
    @WorkspaceRoute(command = RenameTeam.class)
    ResponseEntity<Map<String, Object>> rename(Grant grant, @PathVariable String teamId, @RequestBody TeamName body) {
        String name = requireName(body);
        String id = id(teamId, TeamErrors.NOT_FOUND, "team");
        CommandBus.Accepted accepted = CommandBus.await(commands.send(grant, RenameTeam.newBuilder().setTeamId(id)
                .setName(name).build()));
        return ResponseEntity.ok().header(ConsistencyToken.HEADER, accepted.consistency().toString())
                .body(Map.of("id", id, "name", name));
    }

    @DeleteMapping("/v1/workspaces/{workspace}/teams/{teamId}")
    @Operation(summary = "Delete a team (owner or admin); its devices belong to no team afterwards")
    @WorkspaceRoute(command = DeleteTeam.class)
    ResponseEntity<Void> delete(Grant grant, @PathVariable String teamId) {
        CommandBus.Accepted accepted = CommandBus.await(commands.send(grant, DeleteTeam.newBuilder()
                .setTeamId(id(teamId, TeamErrors.NOT_FOUND, "team")).build()));
        return ResponseEntity.noContent().header(ConsistencyToken.HEADER, accepted.consistency().toString()).build();
    }

    @PutMapping("/v1/workspaces/{workspace}/teams/{teamId}/members/{userId}")
    @Operation(summary = "Add a member of the workspace to a team (owner or admin)",
            description = "409 team.not-a-member for someone who is not a member of the workspace.")
    @WorkspaceRoute(command = AddTeamMember.class)
    ResponseEntity<Void> addMember(Grant grant, @PathVariable String teamId, @PathVariable String userId) {
        CommandBus.Accepted accepted = CommandBus.await(commands.send(grant, AddTeamMember.newBuilder()
                .setTeamId(id(teamId, TeamErrors.NOT_FOUND, "team"))
                .setUserId(id(userId, WorkspaceErrors.MEMBER_NOT_FOUND, "member")).build()));
        return ResponseEntity.noContent().header(ConsistencyToken.HEADER, accepted.consistency().toString()).build();
    }

    @DeleteMapping("/v1/workspaces/{workspace}/teams/{teamId}/members/{userId}")
    @Operation(summary = "Remove someone from a team (owner or admin)")
    @WorkspaceRoute(command = RemoveTeamMember.class)
    ResponseEntity<Void> removeMember(Grant grant, @PathVariable String teamId, @PathVariable String userId) {
        CommandBus.Accepted accepted = CommandBus.await(commands.send(grant, RemoveTeamMember.newBuilder()
                .setTeamId(id(teamId, TeamErrors.NOT_FOUND, "team"))
                .setUserId(id(userId, WorkspaceErrors.MEMBER_NOT_FOUND, "member")).build()));
        return ResponseEntity.noContent().header(ConsistencyToken.HEADER, accepted.consistency().toString()).build();
    }

    private static String id(String value, ErrorCode notFound, String what) {
        return PathIds.uuid(value, notFound, what).toString();
    }

    private static String requireName(TeamName body) {
        if (body == null || body.name() == null) {
            throw new FleetException(CommonErrors.INVALID_REQUEST, "A team needs a name.",
                    Map.of("errors", List.of(Map.of("field", "name", "message", "is required"))));
        }
        return body.name();
    }

}
