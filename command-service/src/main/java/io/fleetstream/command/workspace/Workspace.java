package io.fleetstream.command.workspace;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.fleetstream.command.intake.CommandRejectedException;
import io.fleetstream.command.intake.CommandMetadata;
import io.fleetstream.command.intake.CommandTargets;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.schemas.workspace.AcceptInvitation;
import io.fleetstream.schemas.workspace.InvitationAccepted;
import io.fleetstream.schemas.workspace.InvitationWithdrawn;
import io.fleetstream.schemas.workspace.InviteMember;
import io.fleetstream.schemas.workspace.LeaveWorkspace;
import io.fleetstream.schemas.workspace.WithdrawInvitation;
import io.fleetstream.schemas.workspace.MemberInvited;
import io.fleetstream.support.web.CommonErrors;
import org.axonframework.messaging.annotation.MetaDataValue;
import io.fleetstream.schemas.TimeZones;
import io.fleetstream.schemas.workspace.AddMember;
import io.fleetstream.schemas.workspace.ArchiveWorkspace;
import io.fleetstream.schemas.workspace.ChangeMemberRole;
import io.fleetstream.schemas.workspace.CreateWorkspace;
import io.fleetstream.schemas.workspace.DeleteWorkspace;
import io.fleetstream.schemas.workspace.MemberAdded;
import io.fleetstream.schemas.workspace.MemberRemoved;
import io.fleetstream.schemas.workspace.MemberRoleChanged;
import io.fleetstream.schemas.workspace.RemoveMember;
import io.fleetstream.schemas.workspace.RestoreWorkspace;
import io.fleetstream.schemas.workspace.UpdateWorkspace;
import io.fleetstream.schemas.workspace.WorkspaceArchived;
import io.fleetstream.schemas.workspace.WorkspaceCreated;
import io.fleetstream.schemas.workspace.WorkspaceDeleted;
import io.fleetstream.schemas.workspace.WorkspaceRestored;
import io.fleetstream.schemas.workspace.WorkspaceUpdated;
import io.fleetstream.support.errors.WorkspaceErrors;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A workspace (tenant): its name, slug and timezone, whether it is archived, and its members with their
 * roles. A workspace always keeps an owner; an archived one takes no writes but its restoring or
 * deleting; a deleted one nothing at all. Who may send each command is its schema's declaration, checked
 * for every aggregate by the intake; that a slug names one workspace is {@link SlugClaims}' rule.
 */
@Aggregate(type = "workspace", commandTargetResolver = CommandTargets.BEAN, cache = CommandTargets.CACHE)
class Workspace {

    static final String OWNER = "owner";

    @AggregateIdentifier
    private String workspaceId;
    private String name;
    private String slug;
    private String timezone;
    private boolean archived;
    private boolean deleted;
    private final Map<String, String> roles = new HashMap<>();
    private final Map<String, Invitation> invitations = new HashMap<>();

    private record Invitation(String email, String role, String tokenHash, java.time.Instant expiresAt, String invitedBy,
            boolean accepted, boolean withdrawn) {
    }

    protected Workspace() {
        // for Axon's event sourcing
    }

    @CommandHandler
    Workspace(CreateWorkspace command) {
        requireTimezone(command.getTimezone());
        apply(WorkspaceCreated.newBuilder()
                .setWorkspaceId(command.getWorkspaceId())
                .setName(command.getName())
                .setSlug(command.getSlug())
                .setTimezone(command.getTimezone())
                .setOwnerId(command.getOwnerId())
                .build());
        apply(MemberAdded.newBuilder().setWorkspaceId(command.getWorkspaceId()).setUserId(command.getOwnerId())
                .setRole(OWNER).build());
    }

    @CommandHandler
    void handle(UpdateWorkspace command) {
        requireWritable();
        String newName = command.getName() == null ? name : command.getName();
        String newSlug = command.getSlug() == null ? slug : command.getSlug();
        String newTimezone = command.getTimezone() == null ? timezone : command.getTimezone();
        if (command.getTimezone() != null) {
            requireTimezone(newTimezone); // a zone recorded before stays acceptable, whatever the zone database says now
        }
        if (newName.equals(name) && newSlug.equals(slug) && newTimezone.equals(timezone)) {
            return; // nothing changed: no event, the version stays
        }
        apply(WorkspaceUpdated.newBuilder().setWorkspaceId(workspaceId).setName(newName).setSlug(newSlug)
                .setTimezone(newTimezone).build());
    }

    @CommandHandler
    void handle(ArchiveWorkspace command) {
        requireNotDeleted();
        if (!archived) {
            apply(WorkspaceArchived.newBuilder().setWorkspaceId(workspaceId).build());
        }
    }

    @CommandHandler
    void handle(RestoreWorkspace command) {
        requireNotDeleted();
        if (archived) {
            apply(WorkspaceRestored.newBuilder().setWorkspaceId(workspaceId).build());
        }
    }

    @CommandHandler
    void handle(DeleteWorkspace command) {
        requireNotDeleted();
        if (!archived) {
            throw new CommandRejectedException(WorkspaceErrors.NOT_ARCHIVED, "Workspace " + workspaceId
                    + " is not archived; archive it before deleting it");
        }
        apply(WorkspaceDeleted.newBuilder().setWorkspaceId(workspaceId).build());
    }

    @CommandHandler
    void handle(AddMember command, @MetaDataValue(CommandMetadata.ACTOR_KIND) String actorKind,
            @MetaDataValue(CommandMetadata.ACTOR_ID) String actorId) {
        requireWritable();
        if (OWNER.equals(command.getRole())) {
            requireOwner(actorKind, actorId, "make an owner");
        }
        if (roles.containsKey(command.getUserId())) {
            throw new CommandRejectedException(WorkspaceErrors.MEMBER_EXISTS, "User " + command.getUserId()
                    + " is a member already, as " + roles.get(command.getUserId()));
        }
        apply(MemberAdded.newBuilder().setWorkspaceId(workspaceId).setUserId(command.getUserId())
                .setRole(command.getRole()).build());
    }

    @CommandHandler
    void handle(ChangeMemberRole command, @MetaDataValue(CommandMetadata.ACTOR_KIND) String actorKind,
            @MetaDataValue(CommandMetadata.ACTOR_ID) String actorId) {
        requireNotDeleted(); // also while archived: taking access away is how a leak is contained
        String current = requireMember(command.getUserId());
        if (current.equals(command.getRole())) {
            return;
        }
        if (OWNER.equals(current) || OWNER.equals(command.getRole())) {
            requireOwner(actorKind, actorId, OWNER.equals(current) ? "change an owner's role" : "make an owner");
        }
        if (OWNER.equals(current)) {
            requireAnotherOwner(command.getUserId());
        }
        apply(MemberRoleChanged.newBuilder().setWorkspaceId(workspaceId).setUserId(command.getUserId())
                .setRole(command.getRole()).setPreviousRole(current).build());
    }

    @CommandHandler
    void handle(RemoveMember command, @MetaDataValue(CommandMetadata.ACTOR_KIND) String actorKind,
            @MetaDataValue(CommandMetadata.ACTOR_ID) String actorId) {
        requireNotDeleted(); // also while archived: taking access away is how a leak is contained
        if (OWNER.equals(requireMember(command.getUserId()))) {
            if (!command.getUserId().equals(actorId)) {
                requireOwner(actorKind, actorId, "remove an owner");
            }
            requireAnotherOwner(command.getUserId());
        }
        apply(MemberRemoved.newBuilder().setWorkspaceId(workspaceId).setUserId(command.getUserId()).build());
    }

    /** A member leaves on their own, whatever their role; the last owner stays. */
    @CommandHandler
    void handle(LeaveWorkspace command, @MetaDataValue(CommandMetadata.ACTOR_KIND) String actorKind,
            @MetaDataValue(CommandMetadata.ACTOR_ID) String actorId) {
        requireNotDeleted();
        if (!ActorKind.USER.name().equals(actorKind) || !command.getUserId().equals(actorId)) {
            throw new CommandRejectedException(CommonErrors.FORBIDDEN, "Only the person may leave a workspace; "
                    + "an owner or admin removes a member");
        }
        if (OWNER.equals(requireMember(command.getUserId()))) {
            requireAnotherOwner(command.getUserId());
        }
        apply(MemberRemoved.newBuilder().setWorkspaceId(workspaceId).setUserId(command.getUserId()).build());
    }

    /** An invitation not yet accepted stops letting anyone in; withdrawing it again changes nothing. */
    @CommandHandler
    void handle(WithdrawInvitation command) {
        requireNotDeleted(); // also while archived: it takes access away
        Invitation invitation = invitations.get(command.getInvitationId());
        if (invitation == null) {
            throw new CommandRejectedException(WorkspaceErrors.INVITATION_NOT_FOUND, "No invitation "
                    + command.getInvitationId());
        }
        if (invitation.accepted()) {
            throw new CommandRejectedException(WorkspaceErrors.INVITATION_USED, "The invitation was accepted already; "
                    + "remove the member instead");
        }
        if (!invitation.withdrawn()) {
            apply(InvitationWithdrawn.newBuilder().setWorkspaceId(workspaceId).setInvitationId(command.getInvitationId())
                    .build());
        }
    }

    @CommandHandler
    void handle(InviteMember command, @MetaDataValue(CommandMetadata.ACTOR_KIND) String actorKind,
            @MetaDataValue(CommandMetadata.ACTOR_ID) String actorId) {
        requireWritable();
        if (OWNER.equals(command.getRole())) {
            requireOwner(actorKind, actorId, "invite an owner");
        }
        if (invitations.containsKey(command.getInvitationId())) {
            throw new CommandRejectedException(WorkspaceErrors.INVITATION_EXISTS, "Invitation " + command.getInvitationId()
                    + " exists already");
        }
        apply(MemberInvited.newBuilder().setWorkspaceId(workspaceId).setInvitationId(command.getInvitationId())
                .setEmail(command.getEmail()).setRole(command.getRole()).setTokenHash(command.getTokenHash())
                .setExpiresAt(command.getExpiresAt()).setInvitedBy(command.getInvitedBy()).build());
    }

    @CommandHandler
    void handle(AcceptInvitation command, @MetaDataValue(CommandMetadata.ACTOR_ID) String actorId) {
        requireWritable();
        Invitation invitation = invitations.get(command.getInvitationId());
        if (invitation == null || !invitation.tokenHash().equals(command.getTokenHash())) {
            throw new CommandRejectedException(WorkspaceErrors.INVITATION_NOT_FOUND, "No such invitation");
        }
        if (invitation.accepted()) {
            throw new CommandRejectedException(WorkspaceErrors.INVITATION_USED, "The invitation was accepted already");
        }
        if (invitation.withdrawn()) {
            throw new CommandRejectedException(WorkspaceErrors.INVITATION_WITHDRAWN, "The invitation was withdrawn");
        }
        if (!invitation.expiresAt().isAfter(java.time.Instant.now())) {
            throw new CommandRejectedException(WorkspaceErrors.INVITATION_EXPIRED, "The invitation expired at "
                    + invitation.expiresAt());
        }
        String inviter = roles.get(invitation.invitedBy());
        boolean entitled = OWNER.equals(invitation.role()) ? OWNER.equals(inviter)
                : OWNER.equals(inviter) || "admin".equals(inviter);
        if (!entitled) {
            // who invited may no longer grant this (removed or demoted since): the invitation lapsed with them
            throw new CommandRejectedException(WorkspaceErrors.INVITATION_EXPIRED, "The invitation lapsed: whoever sent "
                    + "it may no longer grant the role " + invitation.role());
        }
        if (!command.getUserId().equals(actorId) || !invitation.email().equalsIgnoreCase(command.getEmail())) {
            throw new CommandRejectedException(WorkspaceErrors.INVITATION_NOT_YOURS, "The invitation is for another "
                    + "e-mail address");
        }
        apply(InvitationAccepted.newBuilder().setWorkspaceId(workspaceId).setInvitationId(command.getInvitationId())
                .setUserId(command.getUserId()).build());
        if (!roles.containsKey(command.getUserId())) {
            apply(MemberAdded.newBuilder().setWorkspaceId(workspaceId).setUserId(command.getUserId())
                    .setRole(invitation.role()).build());
        }
    }

    /** What only an owner may do (the platform itself aside). */
    private void requireOwner(String actorKind, String actorId, String what) {
        if (!ActorKind.SYSTEM.name().equals(actorKind) && !OWNER.equals(roles.get(actorId))) {
            throw new CommandRejectedException(CommonErrors.FORBIDDEN, "Only an owner may " + what);
        }
    }

    private String requireMember(String userId) {
        String role = roles.get(userId);
        if (role == null) {
            throw new CommandRejectedException(WorkspaceErrors.MEMBER_NOT_FOUND, "User " + userId
                    + " is not a member of workspace " + workspaceId);
        }
        return role;
    }

    private void requireAnotherOwner(String userId) {
        boolean another = roles.entrySet().stream()
                .anyMatch(e -> !e.getKey().equals(userId) && OWNER.equals(e.getValue()));
        if (!another) {
            throw new CommandRejectedException(WorkspaceErrors.LAST_OWNER, "User " + userId
                    + " is the last owner of workspace " + workspaceId);
        }
    }

    private void requireWritable() {
        requireNotDeleted();
        if (archived) {
            throw new CommandRejectedException(WorkspaceErrors.ARCHIVED, "Workspace " + workspaceId + " is archived");
        }
    }

    private void requireNotDeleted() {
        if (deleted) {
            throw new CommandRejectedException(WorkspaceErrors.DELETED, "Workspace " + workspaceId + " was deleted");
        }
    }

    private static void requireTimezone(String timezone) {
        if (!TimeZones.isKnown(timezone)) {
            throw new CommandRejectedException(WorkspaceErrors.INVALID, "timezone must be an IANA time zone such as "
                    + "Europe/Berlin or UTC");
        }
    }

    @EventSourcingHandler
    void on(WorkspaceCreated event) {
        workspaceId = event.getWorkspaceId();
        name = event.getName();
        slug = event.getSlug();
        timezone = event.getTimezone();
    }

    @EventSourcingHandler
    void on(WorkspaceUpdated event) {
        name = event.getName();
        slug = event.getSlug();
        timezone = event.getTimezone();
    }

    @EventSourcingHandler
    void on(WorkspaceArchived event) {
        archived = true;
    }

    @EventSourcingHandler
    void on(WorkspaceRestored event) {
        archived = false;
    }

    @EventSourcingHandler
    void on(WorkspaceDeleted event) {
        deleted = true;
    }

    @EventSourcingHandler
    void on(MemberAdded event) {
        roles.put(event.getUserId(), event.getRole());
    }

    @EventSourcingHandler
    void on(MemberRoleChanged event) {
        roles.put(event.getUserId(), event.getRole());
    }

    @EventSourcingHandler
    void on(MemberInvited event) {
        invitations.put(event.getInvitationId(), new Invitation(event.getEmail(), event.getRole(), event.getTokenHash(),
                event.getExpiresAt(), event.getInvitedBy(), false, false));
    }

    @EventSourcingHandler
    void on(InvitationAccepted event) {
        invitations.computeIfPresent(event.getInvitationId(), (id, i) -> new Invitation(i.email(), i.role(), i.tokenHash(),
                i.expiresAt(), i.invitedBy(), true, false));
    }

    @EventSourcingHandler
    void on(InvitationWithdrawn event) {
        invitations.computeIfPresent(event.getInvitationId(), (id, i) -> new Invitation(i.email(), i.role(), i.tokenHash(),
                i.expiresAt(), i.invitedBy(), false, true));
    }

    @EventSourcingHandler
    void on(MemberRemoved event) {
        roles.remove(event.getUserId());
    }
}
