package io.fleetstream.query.workspace;

import static io.fleetstream.schemas.readmodel.Tables.APP_USER;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE_MEMBER;

import io.fleetstream.schemas.readmodel.tables.records.WorkspaceRecord;
import io.fleetstream.support.errors.WorkspaceErrors;
import io.fleetstream.support.security.Person;
import io.fleetstream.support.web.FleetException;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * Which workspaces a person may see: those they are a member of, and all of them for a platform
 * administrator. A workspace they may not see answers exactly like one that does not exist.
 */
@Component
public class WorkspaceAccess {

    /** A workspace as the caller may see it, with their role there (null for a platform admin who is not a member). */
    public record Visible(WorkspaceRecord workspace, String role) {
    }

    private final DSLContext db;

    WorkspaceAccess(DSLContext db) {
        this.db = db;
    }

    public boolean isPlatformAdmin(Person person) {
        return db.select(APP_USER.PLATFORM_ADMIN).from(APP_USER).where(APP_USER.USER_ID.eq(person.userId()))
                .fetchOptional(APP_USER.PLATFORM_ADMIN).orElse(false);
    }

    /** Whether the person may read the workspace (it need not be projected yet). */
    public boolean mayRead(Person person, UUID workspaceId) {
        return db.fetchExists(WORKSPACE_MEMBER, WORKSPACE_MEMBER.WORKSPACE_ID.eq(workspaceId),
                WORKSPACE_MEMBER.USER_ID.eq(person.userId())) || isPlatformAdmin(person);
    }

    /** The workspace named by its id or its current slug, if the person may see it; 404 otherwise. */
    public Visible require(Person person, String idOrSlug) {
        return find(person, idOrSlug).orElseThrow(() -> new FleetException(WorkspaceErrors.NOT_FOUND,
                "No workspace " + io.fleetstream.support.web.ClientText.echo(idOrSlug, 80) + " that you are a member of."));
    }

    public Optional<Visible> find(Person person, String idOrSlug) {
        UUID id = parse(idOrSlug);
        WorkspaceRecord workspace = (id != null
                ? db.selectFrom(WORKSPACE).where(WORKSPACE.WORKSPACE_ID.eq(id))
                : db.selectFrom(WORKSPACE).where(WORKSPACE.SLUG.eq(idOrSlug), WORKSPACE.STATUS.ne("DELETED"))
                        .orderBy(WORKSPACE.UPDATED_AT.desc()).limit(1))
                .fetchOne();
        if (workspace == null || "DELETED".equals(workspace.getStatus())) {
            return Optional.empty();
        }
        String role = db.select(WORKSPACE_MEMBER.ROLE).from(WORKSPACE_MEMBER)
                .where(WORKSPACE_MEMBER.WORKSPACE_ID.eq(workspace.getWorkspaceId()), WORKSPACE_MEMBER.USER_ID.eq(person.userId()))
                .fetchOptional(WORKSPACE_MEMBER.ROLE).orElse(null);
        if (role == null && !isPlatformAdmin(person)) {
            return Optional.empty();
        }
        return Optional.of(new Visible(workspace, role));
    }

    private static UUID parse(String value) {
        if (value.length() != 36) {
            return null;
        }
        try {
            UUID id = UUID.fromString(value);
            return id.toString().equalsIgnoreCase(value) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
