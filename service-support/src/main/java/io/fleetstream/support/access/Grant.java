package io.fleetstream.support.access;

import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.schemas.command.Actor;
import io.fleetstream.support.errors.WorkspaceErrors;
import io.fleetstream.support.security.ApiKey;
import io.fleetstream.support.security.Principal;
import io.fleetstream.support.security.Role;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a principal may do in one workspace it can see: its role there (for a key, its creator's role),
 * whether it administers the platform, and the workspace as it stands. Seeing it is settled when a grant
 * exists ({@link WorkspaceGrants}); each route then requires the access and scope it needs.
 *
 * @param role          the principal's role in the workspace; null for a platform administrator who is not a member
 * @param platformAdmin whether the person (for a key, its creator) administers the platform
 */
public record Grant(UUID workspaceId, String slug, String status, @Nullable Role role, boolean platformAdmin,
        Principal principal) {

    /**
     * Commands an archived workspace still takes: those that archive, restore or delete it, and those that take
     * access away (removing a member or leaving, changing a role, revoking a key, withdrawing an invitation), so
     * that archiving can contain a leak.
     */
    public static final Set<String> WHILE_ARCHIVED = Set.of("ArchiveWorkspace", "RestoreWorkspace", "DeleteWorkspace",
            "RemoveMember", "ChangeMemberRole", "RevokeApiKey", "WithdrawInvitation", "LeaveWorkspace");

    public boolean archived() {
        return "ARCHIVED".equals(status);
    }

    public Actor actor() {
        return principal.actor();
    }

    /** The caller may read this area of the workspace (any member may; a key needs {@code <area>:read}). */
    public void requireRead(String area) {
        require(CommandSpec.Access.VIEWER, area + ":read");
    }

    /** The caller may send this command here, and the workspace takes it. */
    public void require(CommandSpec command) {
        require(command.access(), command.scope());
        if (archived() && !WHILE_ARCHIVED.contains(command.typeName())) {
            throw new FleetException(WorkspaceErrors.ARCHIVED, "Workspace " + slug + " is archived; restore it to change it.");
        }
    }

    /** The caller has at least this access and, for a key, the scope. */
    public void require(CommandSpec.Access access, String scope) {
        if (principal instanceof ApiKey key && !Scopes.allows(key.scopes(), scope)) {
            throw new FleetException(CommonErrors.SCOPE_MISSING, "This needs the scope " + scope + "; the key has "
                    + String.join(", ", key.scopes()) + ".");
        }
        if (platformAdmin || (role != null && access.allowsRole(role.name()))) {
            return;
        }
        throw new FleetException(CommonErrors.FORBIDDEN, "This takes the role " + access.label() + (role == null ? ""
                : "; yours is " + role.name().toLowerCase(Locale.ROOT)) + ".");
    }

    /** Whether the caller has at least this access and, for a key, the scope (for what a stream may show). */
    public boolean allows(CommandSpec.Access access, String scope) {
        if (principal instanceof ApiKey key && !Scopes.allows(key.scopes(), scope)) {
            return false;
        }
        return has(access);
    }

    /** Whether the caller has at least this access, scopes aside (for what a view shows). */
    public boolean has(CommandSpec.Access access) {
        return platformAdmin || (role != null && access.allowsRole(role.name()));
    }
}
