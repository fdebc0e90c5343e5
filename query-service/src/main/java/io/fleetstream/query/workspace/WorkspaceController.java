package io.fleetstream.query.workspace;

import static io.fleetstream.schemas.readmodel.Tables.API_KEY;
import static io.fleetstream.schemas.readmodel.Tables.API_KEY_USE;
import static io.fleetstream.schemas.readmodel.Tables.APP_USER;
import static io.fleetstream.schemas.readmodel.Tables.INVITATION;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE_MEMBER;

import io.fleetstream.query.history.HistoryReads;
import io.fleetstream.schemas.readmodel.tables.records.WorkspaceRecord;
import io.fleetstream.support.errors.WorkspaceErrors;
import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.WorkspaceGrants;
import io.fleetstream.support.access.WorkspaceRoute;
import io.fleetstream.support.security.ApiKey;
import io.fleetstream.support.security.Person;
import io.fleetstream.support.security.Principal;
import io.fleetstream.support.web.FleetException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The workspaces a caller may see, their members and keys. */
@RestController
@Tag(name = "Workspaces")
class WorkspaceController {

    private static final int MAX_LISTED = 500;

    private final DSLContext db;
    private final WorkspaceGrants grants;
    private final HistoryReads history;

    WorkspaceController(DSLContext db, WorkspaceGrants grants, HistoryReads history) {
        this.db = db;
        this.grants = grants;
        this.history = history;
    }

    @GetMapping("/v1/workspaces")
    @Operation(summary = "Your workspaces, with your role in each (every workspace, for platform administrators)",
            description = "For an API key: its own workspace.")
    List<Map<String, Object>> list(Principal principal) {
        if (principal instanceof ApiKey key) {
            return grants.find(key, key.workspaceId().toString()).flatMap(g -> grants.workspace(g.workspaceId().toString()))
                    .map(w -> List.of(view(w, null))).orElse(List.of());
        }
        Person person = (Person) principal;
        if (grants.isPlatformAdmin(person.userId())) {
            return db.select(WORKSPACE.fields()).select(WORKSPACE_MEMBER.ROLE).from(WORKSPACE)
                    .leftJoin(WORKSPACE_MEMBER).on(WORKSPACE_MEMBER.WORKSPACE_ID.eq(WORKSPACE.WORKSPACE_ID),
                            WORKSPACE_MEMBER.USER_ID.eq(person.userId()))
                    .where(WORKSPACE.STATUS.ne("DELETED")).orderBy(WORKSPACE.NAME, WORKSPACE.WORKSPACE_ID).limit(MAX_LISTED)
                    .fetch(r -> view(r.into(WORKSPACE), r.get(WORKSPACE_MEMBER.ROLE)));
        }
        return db.select(WORKSPACE.fields()).select(WORKSPACE_MEMBER.ROLE).from(WORKSPACE_MEMBER)
                .join(WORKSPACE).on(WORKSPACE.WORKSPACE_ID.eq(WORKSPACE_MEMBER.WORKSPACE_ID))
                .where(WORKSPACE_MEMBER.USER_ID.eq(person.userId()), WORKSPACE.STATUS.ne("DELETED"))
                .orderBy(WORKSPACE.NAME, WORKSPACE.WORKSPACE_ID).limit(MAX_LISTED)
                .fetch(r -> view(r.into(WORKSPACE), r.get(WORKSPACE_MEMBER.ROLE)));
    }

    @GetMapping("/v1/workspaces/{workspace}")
    @Operation(summary = "One workspace, by its id or its current slug",
            description = "404 workspace.not-found for a workspace you are not a member of, exactly as for one that "
                    + "does not exist. With 'at', the workspace (and its members) as it was at that instant.")
    @WorkspaceRoute(scope = "workspace:read")
    Object get(Grant grant, @Parameter(description = "an ISO-8601 instant") @RequestParam(required = false) String at) {
        String id = grant.workspaceId().toString();
        if (at != null) {
            grant.requireRead("members"); // the state then lists the members
            return history.stateAt(id, "workspace", id, at).orElseThrow(() -> new FleetException(WorkspaceErrors.NOT_FOUND,
                    "Workspace " + id + " did not exist at " + at + "."));
        }
        WorkspaceRecord workspace = grants.workspace(id).orElseThrow(() -> WorkspaceGrants.notFound(id));
        return view(workspace, grant.role() == null ? null : grant.role().name().toLowerCase(java.util.Locale.ROOT));
    }

    @GetMapping("/v1/workspaces/{workspace}/members")
    @Operation(summary = "The workspace's members with their roles, and its pending invitations")
    @WorkspaceRoute(scope = "members:read")
    Map<String, Object> members(Grant grant) {
        List<Map<String, Object>> members = db.select(WORKSPACE_MEMBER.USER_ID, WORKSPACE_MEMBER.ROLE, WORKSPACE_MEMBER.JOINED_AT,
                        APP_USER.EMAIL, APP_USER.NAME, APP_USER.CLAIMED_NAME)
                .from(WORKSPACE_MEMBER).leftJoin(APP_USER).on(APP_USER.USER_ID.eq(WORKSPACE_MEMBER.USER_ID))
                .where(WORKSPACE_MEMBER.WORKSPACE_ID.eq(grant.workspaceId()))
                .orderBy(WORKSPACE_MEMBER.JOINED_AT, WORKSPACE_MEMBER.USER_ID).limit(10_000)
                .fetch(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("userId", r.value1().toString());
                    m.put("role", r.value2());
                    m.put("joinedAt", r.value3().toInstant().toString());
                    m.put("email", r.value4());
                    m.put("name", r.value5() != null ? r.value5() : r.value6());
                    return m;
                });
        List<Map<String, Object>> invitations = db.selectFrom(INVITATION)
                .where(INVITATION.WORKSPACE_ID.eq(grant.workspaceId()), INVITATION.STATUS.eq("PENDING"),
                        INVITATION.EXPIRES_AT.gt(java.time.OffsetDateTime.now()))
                .orderBy(INVITATION.CREATED_AT).limit(10_000)
                .fetch(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("invitationId", r.getInvitationId().toString());
                    m.put("email", r.getEmail());
                    m.put("role", r.getRole());
                    m.put("invitedBy", r.getInvitedBy().toString());
                    m.put("expiresAt", r.getExpiresAt().toInstant().toString());
                    return m;
                });
        return Map.of("members", members, "invitations", invitations);
    }

    @GetMapping("/v1/workspaces/{workspace}/api-keys")
    @Operation(summary = "The workspace's API keys: prefix, scopes, creator, last use; never their secrets")
    @WorkspaceRoute(scope = "api-keys:read", access = CommandSpec.Access.ADMIN)
    List<Map<String, Object>> apiKeys(Grant grant) {
        return db.select(API_KEY.fields()).select(API_KEY_USE.LAST_USED_AT).from(API_KEY)
                .leftJoin(API_KEY_USE).on(API_KEY_USE.KEY_ID.eq(API_KEY.KEY_ID))
                .where(API_KEY.WORKSPACE_ID.eq(grant.workspaceId()))
                .orderBy(API_KEY.CREATED_AT.desc()).limit(10_000)
                .fetch(r -> {
                    var key = r.into(API_KEY);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", key.getKeyId().toString());
                    m.put("name", key.getName());
                    m.put("prefix", key.getPrefix());
                    m.put("scopes", List.of(key.getScopes()));
                    m.put("createdBy", key.getCreatorId().toString());
                    m.put("createdAt", key.getCreatedAt().toInstant().toString());
                    m.put("expiresAt", key.getExpiresAt() == null ? null : key.getExpiresAt().toInstant().toString());
                    m.put("revokedAt", key.getRevokedAt() == null ? null : key.getRevokedAt().toInstant().toString());
                    var used = r.get(API_KEY_USE.LAST_USED_AT);
                    m.put("lastUsedAt", used == null ? null : used.toInstant().toString());
                    return m;
                });
    }

    static Map<String, Object> view(WorkspaceRecord w, String role) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", w.getWorkspaceId().toString());
        view.put("slug", w.getSlug());
        view.put("name", w.getName());
        view.put("timezone", w.getTimezone());
        view.put("archived", "ARCHIVED".equals(w.getStatus()));
        if (role != null) {
            view.put("role", role);
        }
        view.put("version", w.getVersion());
        view.put("createdAt", w.getCreatedAt().toInstant().toString());
        return view;
    }
}
