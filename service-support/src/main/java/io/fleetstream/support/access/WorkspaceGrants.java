package io.fleetstream.support.access;

import static io.fleetstream.schemas.readmodel.Tables.APP_USER;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE_MEMBER;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fleetstream.schemas.readmodel.tables.records.WorkspaceRecord;
import io.fleetstream.support.errors.WorkspaceErrors;
import io.fleetstream.support.security.ApiKey;
import io.fleetstream.support.security.Person;
import io.fleetstream.support.security.Principal;
import io.fleetstream.support.security.Role;
import io.fleetstream.support.web.ClientText;
import io.fleetstream.support.web.FleetException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * Which workspace a principal may see, and as what: a person sees the workspaces they are a member of
 * (every one, as a platform administrator); a key sees its own workspace while its creator does. A
 * workspace the caller may not see answers exactly like one that does not exist.
 *
 * <p>Grants come from the read model and are remembered for {@link #REMEMBER}: a membership removed
 * stops working within that plus the projector's lag, far inside the 5 s the platform promises. Writes
 * are checked again by the command service against its own, strictly current, memberships.
 */
public class WorkspaceGrants {

    static final Duration REMEMBER = Duration.ofSeconds(1);

    private final DSLContext db;
    private final Cache<String, Optional<Grant>> recent = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(REMEMBER).build();

    public WorkspaceGrants(DSLContext db) {
        this.db = db;
    }

    /** The caller's grant in the workspace named by its id or current slug; 404 workspace.not-found otherwise. */
    public Grant require(Principal principal, String idOrSlug) {
        return find(principal, idOrSlug).orElseThrow(() -> notFound(idOrSlug));
    }

    public static FleetException notFound(String idOrSlug) {
        return new FleetException(WorkspaceErrors.NOT_FOUND, "No workspace " + ClientText.echo(idOrSlug, 80)
                + " that you are a member of.");
    }

    public Optional<Grant> find(Principal principal, String idOrSlug) {
        return recent.get(principal.key() + " " + idOrSlug, k -> lookUp(principal, idOrSlug));
    }

    /** The workspace by its id or its current slug, unless deleted. */
    public Optional<WorkspaceRecord> workspace(String idOrSlug) {
        UUID id = parse(idOrSlug);
        WorkspaceRecord workspace = (id != null
                ? db.selectFrom(WORKSPACE).where(WORKSPACE.WORKSPACE_ID.eq(id))
                : db.selectFrom(WORKSPACE).where(WORKSPACE.SLUG.eq(idOrSlug), WORKSPACE.STATUS.ne("DELETED"))
                        .orderBy(WORKSPACE.UPDATED_AT.desc()).limit(1))
                .fetchOne();
        return Optional.ofNullable(workspace).filter(w -> !"DELETED".equals(w.getStatus()));
    }

    /** The grant as the read model has it now, not remembered (for a caller waiting to see a change). */
    public Optional<Grant> lookUp(Principal principal, String idOrSlug) {
        Optional<WorkspaceRecord> found = workspace(idOrSlug);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        WorkspaceRecord workspace = found.get();
        UUID person = principal instanceof ApiKey key
                ? (key.workspaceId().equals(workspace.getWorkspaceId()) ? key.creatorId() : null)
                : ((Person) principal).userId();
        if (person == null) {
            return Optional.empty();
        }
        var membership = WORKSPACE_MEMBER.WORKSPACE_ID.eq(workspace.getWorkspaceId()).and(WORKSPACE_MEMBER.USER_ID.eq(person));
        if (principal instanceof ApiKey key) {
            // a key acts for its creator's membership it was made in: once they left, it never works again
            membership = membership.and(WORKSPACE_MEMBER.JOINED_AT.le(key.createdAt().atOffset(java.time.ZoneOffset.UTC)));
        }
        Role role = db.select(WORKSPACE_MEMBER.ROLE).from(WORKSPACE_MEMBER).where(membership)
                .fetchOptional(WORKSPACE_MEMBER.ROLE).flatMap(Role::parse).orElse(null);
        boolean admin = isPlatformAdmin(person);
        if (role == null && !admin) {
            return Optional.empty();
        }
        return Optional.of(new Grant(workspace.getWorkspaceId(), workspace.getSlug(), workspace.getStatus(), role, admin,
                principal));
    }

    public boolean isPlatformAdmin(UUID userId) {
        return db.select(APP_USER.PLATFORM_ADMIN).from(APP_USER).where(APP_USER.USER_ID.eq(userId))
                .fetchOptional(APP_USER.PLATFORM_ADMIN).orElse(false);
    }

    static UUID parse(String value) {
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
