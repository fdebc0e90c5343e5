package io.fleetstream.query.workspace;

import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE_MEMBER;

import io.fleetstream.query.history.HistoryReads;
import io.fleetstream.schemas.readmodel.tables.records.WorkspaceRecord;
import io.fleetstream.support.errors.WorkspaceErrors;
import io.fleetstream.support.security.Person;
import io.fleetstream.support.web.FleetException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The workspaces a person may see. */
@RestController
@Tag(name = "Workspaces")
class WorkspaceController {

    private static final int MAX_LISTED = 500;

    private final DSLContext db;
    private final WorkspaceAccess access;
    private final HistoryReads history;

    WorkspaceController(DSLContext db, WorkspaceAccess access, HistoryReads history) {
        this.db = db;
        this.access = access;
        this.history = history;
    }

    @GetMapping("/v1/workspaces")
    @Operation(summary = "Your workspaces, with your role in each (every workspace, for platform administrators)")
    List<Map<String, Object>> list(Person person) {
        if (access.isPlatformAdmin(person)) {
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
    Object get(Person person, @PathVariable String workspace,
            @Parameter(description = "an ISO-8601 instant") @RequestParam(required = false) String at) {
        WorkspaceAccess.Visible visible = access.require(person, workspace);
        if (at != null) {
            String id = visible.workspace().getWorkspaceId().toString();
            return history.stateAt(id, "workspace", id, at).orElseThrow(() -> new FleetException(WorkspaceErrors.NOT_FOUND,
                    "Workspace " + id + " did not exist at " + at + "."));
        }
        return view(visible.workspace(), visible.role());
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
