package io.fleetstream.projector.workspace;

import static io.fleetstream.schemas.readmodel.Tables.INVITATION;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE_MEMBER;

import io.fleetstream.projector.projection.EventProjection;
import io.fleetstream.projector.projection.EventSupport;
import io.fleetstream.schemas.workspace.InvitationAccepted;
import io.fleetstream.schemas.workspace.InvitationWithdrawn;
import io.fleetstream.schemas.workspace.MemberAdded;
import io.fleetstream.schemas.workspace.MemberInvited;
import io.fleetstream.schemas.workspace.MemberRemoved;
import io.fleetstream.schemas.workspace.MemberRoleChanged;
import io.fleetstream.schemas.workspace.WorkspaceArchived;
import io.fleetstream.schemas.workspace.WorkspaceCreated;
import io.fleetstream.schemas.workspace.WorkspaceDeleted;
import io.fleetstream.schemas.workspace.WorkspaceRestored;
import io.fleetstream.schemas.workspace.WorkspaceUpdated;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Workspaces, their members and invitations. The workspace row carries the version (sequence) it reflects, member
 * events included: an event is applied only if it is newer, so a redelivery changes nothing.
 */
@Component
public class WorkspaceProjection extends EventProjection {

    public static final String NAME = "projector-workspaces";

    WorkspaceProjection(EventSupport support) {
        super(NAME, Set.of("workspace"), List.of(WORKSPACE, WORKSPACE_MEMBER, INVITATION), support);
        on(WorkspaceCreated.class, this::created);
        on(WorkspaceUpdated.class, e -> {
            boolean fresh = advance(e);
            if (fresh) {
                db().update(WORKSPACE).set(WORKSPACE.NAME, e.payload().getName()).set(WORKSPACE.SLUG, e.payload().getSlug())
                        .set(WORKSPACE.TIMEZONE, e.payload().getTimezone()).where(WORKSPACE.WORKSPACE_ID.eq(e.uuid())).execute();
            }
            return new Change(fresh, "workspace.updated", Map.of("name", e.payload().getName(),
                    "slug", e.payload().getSlug(), "timezone", e.payload().getTimezone()));
        });
        on(WorkspaceArchived.class, e -> status(e, "ARCHIVED", "workspace.archived"));
        on(WorkspaceRestored.class, e -> status(e, "ACTIVE", "workspace.restored"));
        on(WorkspaceDeleted.class, e -> status(e, "DELETED", "workspace.deleted"));
        on(MemberAdded.class, e -> {
            boolean fresh = advance(e);
            if (fresh) {
                db().insertInto(WORKSPACE_MEMBER).set(WORKSPACE_MEMBER.WORKSPACE_ID, e.uuid())
                        .set(WORKSPACE_MEMBER.USER_ID, UUID.fromString(e.payload().getUserId()))
                        .set(WORKSPACE_MEMBER.ROLE, e.payload().getRole()).set(WORKSPACE_MEMBER.JOINED_AT, e.at())
                        .onConflict(WORKSPACE_MEMBER.WORKSPACE_ID, WORKSPACE_MEMBER.USER_ID).doUpdate()
                        .set(WORKSPACE_MEMBER.ROLE, e.payload().getRole()).execute();
            }
            return new Change(fresh, "member.added", Map.of("userId", e.payload().getUserId(), "role", e.payload().getRole()));
        });
        on(MemberRoleChanged.class, e -> {
            boolean fresh = advance(e);
            if (fresh) {
                db().update(WORKSPACE_MEMBER).set(WORKSPACE_MEMBER.ROLE, e.payload().getRole())
                        .where(WORKSPACE_MEMBER.WORKSPACE_ID.eq(e.uuid()),
                                WORKSPACE_MEMBER.USER_ID.eq(UUID.fromString(e.payload().getUserId()))).execute();
            }
            return new Change(fresh, "member.updated", Map.of("userId", e.payload().getUserId(),
                    "role", e.payload().getRole(), "previousRole", e.payload().getPreviousRole()));
        });
        on(MemberInvited.class, this::invited);
        on(InvitationAccepted.class, e -> {
            boolean fresh = advance(e);
            if (fresh) {
                db().update(INVITATION).set(INVITATION.STATUS, "ACCEPTED")
                        .set(INVITATION.ACCEPTED_BY, UUID.fromString(e.payload().getUserId())).set(INVITATION.VERSION, e.sequence())
                        .where(INVITATION.INVITATION_ID.eq(UUID.fromString(e.payload().getInvitationId()))).execute();
            }
            return new Change(fresh, "invitation.accepted", Map.of("invitationId", e.payload().getInvitationId(),
                    "userId", e.payload().getUserId()));
        });
        on(InvitationWithdrawn.class, e -> {
            boolean fresh = advance(e);
            if (fresh) {
                db().update(INVITATION).set(INVITATION.STATUS, "REVOKED").set(INVITATION.VERSION, e.sequence())
                        .where(INVITATION.INVITATION_ID.eq(UUID.fromString(e.payload().getInvitationId()))).execute();
            }
            return new Change(fresh, "invitation.withdrawn", Map.of("invitationId", e.payload().getInvitationId()));
        });
        on(MemberRemoved.class, e -> {
            boolean fresh = advance(e);
            if (fresh) {
                db().deleteFrom(WORKSPACE_MEMBER).where(WORKSPACE_MEMBER.WORKSPACE_ID.eq(e.uuid()),
                        WORKSPACE_MEMBER.USER_ID.eq(UUID.fromString(e.payload().getUserId()))).execute();
            }
            return new Change(fresh, "member.removed", Map.of("userId", e.payload().getUserId()));
        });
    }

    private Change invited(Event<MemberInvited> event) {
        MemberInvited e = event.payload();
        boolean fresh = advance(event);
        if (fresh) {
            db().insertInto(INVITATION).set(INVITATION.INVITATION_ID, UUID.fromString(e.getInvitationId()))
                    .set(INVITATION.WORKSPACE_ID, event.uuid()).set(INVITATION.EMAIL, e.getEmail())
                    .set(INVITATION.ROLE, e.getRole()).set(INVITATION.TOKEN_HASH, e.getTokenHash())
                    .set(INVITATION.INVITED_BY, UUID.fromString(e.getInvitedBy())).set(INVITATION.CREATED_AT, event.at())
                    .set(INVITATION.EXPIRES_AT, e.getExpiresAt().atOffset(java.time.ZoneOffset.UTC))
                    .set(INVITATION.STATUS, "PENDING").set(INVITATION.VERSION, event.sequence())
                    .onConflict(INVITATION.INVITATION_ID).doNothing().execute();
        }
        // the token's hash is no news for the stream
        return new Change(fresh, "member.invited", Map.of("invitationId", e.getInvitationId(), "email", e.getEmail(),
                "role", e.getRole(), "expiresAt", e.getExpiresAt().toString()));
    }

    private Change created(Event<WorkspaceCreated> event) {
        WorkspaceCreated e = event.payload();
        int changed = db().insertInto(WORKSPACE)
                .set(WORKSPACE.WORKSPACE_ID, event.uuid())
                .set(WORKSPACE.NAME, e.getName())
                .set(WORKSPACE.SLUG, e.getSlug())
                .set(WORKSPACE.TIMEZONE, e.getTimezone())
                .set(WORKSPACE.STATUS, "ACTIVE")
                .set(WORKSPACE.VERSION, event.sequence())
                .set(WORKSPACE.CREATED_AT, event.at())
                .set(WORKSPACE.UPDATED_AT, event.at())
                .onConflict(WORKSPACE.WORKSPACE_ID).doNothing()
                .execute();
        return new Change(changed > 0, "workspace.created", Map.of("name", e.getName(), "slug", e.getSlug(),
                "timezone", e.getTimezone(), "ownerId", e.getOwnerId()));
    }

    private Change status(Event<?> event, String status, String noticeType) {
        boolean fresh = advance(event);
        if (fresh) {
            db().update(WORKSPACE).set(WORKSPACE.STATUS, status).where(WORKSPACE.WORKSPACE_ID.eq(event.uuid())).execute();
        }
        return new Change(fresh, noticeType, Map.of("status", status.toLowerCase(java.util.Locale.ROOT)));
    }

    /** Moves the workspace's version to the event's, if the event is newer; whether it was. */
    private boolean advance(Event<?> event) {
        return db().update(WORKSPACE).set(WORKSPACE.VERSION, event.sequence()).set(WORKSPACE.UPDATED_AT, event.at())
                .where(WORKSPACE.WORKSPACE_ID.eq(event.uuid()), WORKSPACE.VERSION.lt(event.sequence()))
                .execute() == 1;
    }

    /** The workspace with its members, as it was after the event. */
    @Override
    protected Optional<Object> state(Event<?> event) {
        return db().selectFrom(WORKSPACE).where(WORKSPACE.WORKSPACE_ID.eq(event.uuid())).fetchOptional().map(w -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", w.getWorkspaceId().toString());
            view.put("slug", w.getSlug());
            view.put("name", w.getName());
            view.put("timezone", w.getTimezone());
            view.put("status", w.getStatus().toLowerCase(java.util.Locale.ROOT));
            view.put("archived", !"ACTIVE".equals(w.getStatus()));
            view.put("version", w.getVersion());
            view.put("members", db().selectFrom(WORKSPACE_MEMBER).where(WORKSPACE_MEMBER.WORKSPACE_ID.eq(w.getWorkspaceId()))
                    .orderBy(WORKSPACE_MEMBER.USER_ID)
                    .fetch(m -> Map.of("userId", m.getUserId().toString(), "role", m.getRole())));
            return view;
        });
    }
}
