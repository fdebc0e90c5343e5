package io.fleetstream.command.access;

import io.fleetstream.schemas.apikey.ApiKeyCreated;
import io.fleetstream.schemas.apikey.ApiKeyRevoked;
import io.fleetstream.schemas.team.TeamCreated;
import io.fleetstream.schemas.team.TeamDeleted;
import io.fleetstream.schemas.team.TeamMemberAdded;
import io.fleetstream.schemas.team.TeamMemberRemoved;
import io.fleetstream.schemas.user.PlatformAdminGranted;
import io.fleetstream.schemas.user.PlatformAdminRevoked;
import io.fleetstream.schemas.user.UserRegistered;
import io.fleetstream.schemas.workspace.MemberAdded;
import io.fleetstream.schemas.workspace.MemberRemoved;
import io.fleetstream.schemas.workspace.MemberRoleChanged;
import io.fleetstream.schemas.workspace.WorkspaceArchived;
import io.fleetstream.schemas.workspace.WorkspaceCreated;
import io.fleetstream.schemas.workspace.WorkspaceDeleted;
import io.fleetstream.schemas.workspace.WorkspaceRestored;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Who may do what in each workspace, as the command service checks it ({@code CommandGuard}): members
 * and their roles, the workspace's status, platform administrators and API keys. Written by their
 * events in the subscribing group {@value #GROUP} (the aggregate directory's), inside the transaction of
 * the command that changed them, so the next command sees the change, never an older state.
 */
@Component
@ProcessingGroup(Memberships.GROUP)
public class Memberships {

    /** The intake's subscribing group, whose handlers' failures roll the command back. */
    public static final String GROUP = "aggregate-directory";

    /** A key as the intake checks it. */
    public record Key(String workspaceId, String creatorId, Set<String> scopes, Instant expiresAt, boolean revoked) {
    }

    private final JdbcTemplate jdbc;

    Memberships(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** What the intake checks of a person in a workspace, read in one query. */
    public record Standing(Optional<String> status, Optional<String> role, boolean platformAdmin) {
    }

    /**
     * The workspace's status (ACTIVE, ARCHIVED or DELETED; empty for one that does not exist), the person's
     * role in it and whether they administer the platform.
     */
    public Standing standing(String workspaceId, String userId) {
        return jdbc.queryForObject("""
                select (select status from workspace_state where workspace_id = ?),
                       (select role from workspace_access where workspace_id = ? and user_id = ?),
                       exists (select 1 from platform_admin where user_id = ?)""",
                (rs, row) -> new Standing(Optional.ofNullable(rs.getString(1)), Optional.ofNullable(rs.getString(2)),
                        rs.getBoolean(3)), workspaceId, workspaceId, userId, userId);
    }

    public Optional<String> role(String workspaceId, String userId) {
        return jdbc.queryForList("select role from workspace_access where workspace_id = ? and user_id = ?", String.class,
                workspaceId, userId).stream().findFirst();
    }

    public boolean isPlatformAdmin(String userId) {
        return !jdbc.queryForList("select 1 from platform_admin where user_id = ?", Integer.class, userId).isEmpty();
    }

    public Optional<Key> key(String keyId) {
        return jdbc.query("select workspace_id, creator_id, scopes, expires_at, revoked from api_key_access where key_id = ?",
                (rs, row) -> new Key(rs.getString(1), rs.getString(2), Set.of(rs.getString(3).split(" ")),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant(), rs.getBoolean(5)), keyId)
                .stream().findFirst();
    }

    /** Whether the team exists in the workspace and is not deleted. */
    public boolean isLiveTeam(String teamId, String workspaceId) {
        return !jdbc.queryForList("select 1 from team_state where team_id = ? and workspace_id = ? and not deleted",
                Integer.class, teamId, workspaceId).isEmpty();
    }

    /** The live teams of the workspace the person joined at or before that instant and is still in. */
    public List<String> teamsOf(String workspaceId, String userId, Instant joinedBy) {
        return jdbc.queryForList("""
                select m.team_id from team_member_access m join team_state t on t.team_id = m.team_id
                where t.workspace_id = ? and m.user_id = ? and not t.deleted and m.added_at <= ?
                order by m.team_id""", String.class, workspaceId, userId, Timestamp.from(joinedBy));
    }

    @EventHandler
    void on(TeamMemberAdded event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("insert into team_member_access (team_id, user_id, added_at) values (?, ?, ?) on conflict do nothing",
                event.getTeamId(), event.getUserId(), Timestamp.from(at));
    }

    @EventHandler
    void on(TeamMemberRemoved event) {
        jdbc.update("delete from team_member_access where team_id = ? and user_id = ?", event.getTeamId(),
                event.getUserId());
    }

    @EventHandler
    void on(TeamCreated event) {
        jdbc.update("insert into team_state (team_id, workspace_id, deleted) values (?, ?, false) on conflict do nothing",
                event.getTeamId(), event.getWorkspaceId());
    }

    @EventHandler
    void on(TeamDeleted event) {
        jdbc.update("update team_state set deleted = true where team_id = ?", event.getTeamId());
    }

    @EventHandler
    void on(WorkspaceCreated event) {
        jdbc.update("insert into workspace_state (workspace_id, status) values (?, 'ACTIVE') on conflict do nothing",
                event.getWorkspaceId());
    }

    @EventHandler
    void on(WorkspaceArchived event) {
        status(event.getWorkspaceId(), "ARCHIVED");
    }

    @EventHandler
    void on(WorkspaceRestored event) {
        status(event.getWorkspaceId(), "ACTIVE");
    }

    @EventHandler
    void on(WorkspaceDeleted event) {
        status(event.getWorkspaceId(), "DELETED");
        jdbc.update("delete from workspace_access where workspace_id = ?", event.getWorkspaceId());
    }

    private void status(String workspaceId, String status) {
        jdbc.update("update workspace_state set status = ? where workspace_id = ?", status, workspaceId);
    }

    @EventHandler
    void on(MemberAdded event) {
        role(event.getWorkspaceId(), event.getUserId(), event.getRole());
    }

    @EventHandler
    void on(MemberRoleChanged event) {
        role(event.getWorkspaceId(), event.getUserId(), event.getRole());
    }

    private void role(String workspaceId, String userId, String role) {
        jdbc.update("""
                insert into workspace_access (workspace_id, user_id, role) values (?, ?, ?)
                on conflict (workspace_id, user_id) do update set role = excluded.role""", workspaceId, userId, role);
    }

    @EventHandler
    void on(MemberRemoved event) {
        jdbc.update("delete from workspace_access where workspace_id = ? and user_id = ?", event.getWorkspaceId(),
                event.getUserId());
        // a key acts for its creator: it never works again, even if the creator comes back
        jdbc.update("update api_key_access set revoked = true where workspace_id = ? and creator_id = ?",
                event.getWorkspaceId(), event.getUserId());
    }

    @EventHandler
    void on(UserRegistered event) {
        if (event.getPlatformAdmin()) {
            admin(event.getUserId());
        }
    }

    @EventHandler
    void on(PlatformAdminGranted event) {
        admin(event.getUserId());
    }

    @EventHandler
    void on(PlatformAdminRevoked event) {
        jdbc.update("delete from platform_admin where user_id = ?", event.getUserId());
    }

    private void admin(String userId) {
        jdbc.update("insert into platform_admin (user_id) values (?) on conflict do nothing", userId);
    }

    @EventHandler
    void on(ApiKeyCreated event) {
        jdbc.update("""
                insert into api_key_access (key_id, workspace_id, creator_id, scopes, expires_at, revoked)
                values (?, ?, ?, ?, ?, false) on conflict do nothing""", event.getKeyId(), event.getWorkspaceId(),
                event.getCreatorId(), String.join(" ", event.getScopes()),
                event.getExpiresAt() == null ? null : Timestamp.from(event.getExpiresAt()));
    }

    @EventHandler
    void on(ApiKeyRevoked event) {
        jdbc.update("update api_key_access set revoked = true where key_id = ?", event.getKeyId());
    }
}
