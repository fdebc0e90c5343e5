package io.fleetstream.query.team;

import static io.fleetstream.schemas.readmodel.Tables.APP_USER;
import static io.fleetstream.schemas.readmodel.Tables.DEVICE;
import static io.fleetstream.schemas.readmodel.Tables.TEAM;
import static io.fleetstream.schemas.readmodel.Tables.TEAM_MEMBER;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE_MEMBER;

import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.WorkspaceRoute;
import io.fleetstream.support.errors.TeamErrors;
import io.fleetstream.support.web.ClientText;
import io.fleetstream.support.web.FleetException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The teams of a workspace and their members. A team lists only people who are still members of the
 * workspace: leaving the workspace takes one out of its teams.
 */
@RestController
@Tag(name = "Teams")
class TeamController {

    private static final int MAX_LISTED = 1000;

    private final DSLContext db;

    TeamController(DSLContext db) {
        this.db = db;
    }

    @GetMapping("/v1/workspaces/{workspace}/teams")
    @Operation(summary = "The workspace's teams, by name, with how many members and devices each has")
    @WorkspaceRoute(scope = "teams:read")
    List<Map<String, Object>> list(Grant grant) {
        var members = DSL.selectCount().from(TEAM_MEMBER).join(WORKSPACE_MEMBER)
                .on(WORKSPACE_MEMBER.USER_ID.eq(TEAM_MEMBER.USER_ID), WORKSPACE_MEMBER.WORKSPACE_ID.eq(TEAM.WORKSPACE_ID))
                .where(TEAM_MEMBER.TEAM_ID.eq(TEAM.TEAM_ID)).asField("members");
        var devices = DSL.selectCount().from(DEVICE)
                .where(DEVICE.TEAM_ID.eq(TEAM.TEAM_ID), DEVICE.STATUS.eq("ACTIVE")).asField("devices");
        return db.select(TEAM.TEAM_ID, TEAM.NAME, TEAM.CREATED_AT, members, devices).from(TEAM)
                .where(TEAM.WORKSPACE_ID.eq(grant.workspaceId())).orderBy(TEAM.NAME, TEAM.TEAM_ID).limit(MAX_LISTED)
                .fetch(r -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("id", r.value1().toString());
                    view.put("name", r.value2());
                    view.put("createdAt", r.value3().toInstant().toString());
                    view.put("members", r.value4());
                    view.put("devices", r.value5());
                    return view;
                });
    }

    @GetMapping("/v1/workspaces/{workspace}/teams/{teamId}/members")
    @Operation(summary = "A team's members")
    @WorkspaceRoute(scope = "teams:read")
    List<Map<String, Object>> members(Grant grant, @PathVariable String teamId) {
        UUID id = parse(teamId);
        if (!db.fetchExists(TEAM, TEAM.TEAM_ID.eq(id), TEAM.WORKSPACE_ID.eq(grant.workspaceId()))) {
            throw notFound(teamId);
        }
        return db.select(TEAM_MEMBER.USER_ID, TEAM_MEMBER.ADDED_AT, APP_USER.EMAIL, APP_USER.NAME, APP_USER.CLAIMED_NAME)
                .from(TEAM_MEMBER)
                .join(WORKSPACE_MEMBER).on(WORKSPACE_MEMBER.USER_ID.eq(TEAM_MEMBER.USER_ID),
                        WORKSPACE_MEMBER.WORKSPACE_ID.eq(grant.workspaceId()))
                .leftJoin(APP_USER).on(APP_USER.USER_ID.eq(TEAM_MEMBER.USER_ID))
                .where(TEAM_MEMBER.TEAM_ID.eq(id)).orderBy(TEAM_MEMBER.ADDED_AT, TEAM_MEMBER.USER_ID).limit(10_000)
                .fetch(r -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("userId", r.value1().toString());
                    view.put("addedAt", r.value2().toInstant().toString());
                    view.put("email", r.value3());
                    view.put("name", r.value4() != null ? r.value4() : r.value5());
                    return view;
                });
    }

    private static UUID parse(String teamId) {
        try {
            return UUID.fromString(teamId);
        } catch (IllegalArgumentException e) {
            throw notFound(teamId);
        }
    }

    private static FleetException notFound(String teamId) {
        return new FleetException(TeamErrors.NOT_FOUND, "No team " + ClientText.echo(teamId, 40) + " in this workspace.");
    }
}
