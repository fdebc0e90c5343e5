package io.fleetstream.gateway.workspace;

import static io.fleetstream.schemas.readmodel.Tables.APP_USER;
import static io.fleetstream.schemas.readmodel.Tables.INVITATION;

import io.fleetstream.gateway.command.CommandBus;
import io.fleetstream.schemas.ConsistencyToken;
import io.fleetstream.schemas.readmodel.tables.records.AppUserRecord;
import io.fleetstream.schemas.readmodel.tables.records.InvitationRecord;
import io.fleetstream.schemas.workspace.AcceptInvitation;
import io.fleetstream.schemas.workspace.AddMember;
import io.fleetstream.schemas.workspace.ChangeMemberRole;
import io.fleetstream.schemas.workspace.InviteMember;
import io.fleetstream.schemas.workspace.LeaveWorkspace;
import io.fleetstream.schemas.workspace.WithdrawInvitation;
import io.fleetstream.schemas.workspace.RemoveMember;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.WorkspaceRoute;
import io.fleetstream.support.errors.UserErrors;
import io.fleetstream.support.errors.WorkspaceErrors;
import io.fleetstream.support.security.ApiKeySecrets;
import io.fleetstream.support.security.Person;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Members of a workspace: adding a known user (by id or verified e-mail address), inviting anyone else by
 * e-mail, changing roles, removing. Only owners make, demote or remove owners; the last owner stays.
 */
@RestController
@Tag(name = "Members")
class MemberWriteController {

    static final Duration INVITATION_VALID = Duration.ofDays(7);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String INVITATION_MARK = "fsi_";

    private final CommandBus commands;
    private final DSLContext db;

    MemberWriteController(CommandBus commands, DSLContext db) {
        this.commands = commands;
        this.db = db;
    }

    /** A new member: a known user by id, or anyone by e-mail address. */
    record NewMember(@Nullable String userId, @Nullable String email, String role) {
    }

    record RoleChange(String role) {
    }

    @PostMapping(path = "/v1/workspaces/{workspace}/members", consumes = "application/json")
    @Operation(summary = "Add a member, or invite someone by e-mail (owner or admin)",
            description = "201 with the member when the user is known (by userId, or a verified e-mail address); "
                    + "otherwise 202 with an invitation {invitationId, token, expiresAt}, valid 7 days and single use, "
                    + "that the person accepts with POST /v1/invitations/{token}/accept. Only owners add owners.")
    @WorkspaceRoute(command = AddMember.class)
    ResponseEntity<Map<String, Object>> add(Grant grant, @RequestBody NewMember body) {
        if ((body.userId() == null) == (body.email() == null)) {
            throw invalid("userId", "give exactly one of userId and email");
        }
        if (body.role() == null) {
            throw invalid("role", "is required: owner, admin, member or viewer");
        }
        AppUserRecord user = body.userId() != null ? knownUser(body.userId())
                : db.selectFrom(APP_USER).where(org.jooq.impl.DSL.lower(APP_USER.EMAIL).eq(body.email().toLowerCase(java.util.Locale.ROOT)),
                        APP_USER.EMAIL_VERIFIED.isTrue()).orderBy(APP_USER.REGISTERED_AT).limit(1).fetchOne();
        if (user != null) {
            AddMember command = AddMember.newBuilder().setWorkspaceId(grant.workspaceId().toString())
                    .setUserId(user.getUserId().toString()).setRole(body.role()).build();
            CommandBus.Accepted accepted = CommandBus.await(commands.send(grant, command));
            // the person's profile is theirs: the workspace's member list shows it to its members, this answer not
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("userId", user.getUserId().toString());
            member.put("role", body.role());
            return ResponseEntity.created(URI.create("/v1/workspaces/" + grant.slug() + "/members/" + user.getUserId()))
                    .header(ConsistencyToken.HEADER, accepted.consistency().toString()).body(member);
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = INVITATION_MARK + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        UUID invitationId = UUID.randomUUID();
        Instant expiresAt = Instant.now().plus(INVITATION_VALID).truncatedTo(ChronoUnit.MILLIS);
        InviteMember command = InviteMember.newBuilder().setWorkspaceId(grant.workspaceId().toString())
                .setInvitationId(invitationId.toString()).setEmail(body.email()).setRole(body.role())
                .setTokenHash(ApiKeySecrets.hash(token)).setExpiresAt(expiresAt)
                .setInvitedBy(grant.principal() instanceof Person person ? person.userId().toString()
                        : ((io.fleetstream.support.security.ApiKey) grant.principal()).creatorId().toString())
                .build();
        CommandBus.Accepted accepted = CommandBus.await(commands.send(grant, command));
        return ResponseEntity.status(HttpStatus.ACCEPTED).header(ConsistencyToken.HEADER, accepted.consistency().toString())
                .body(Map.of("invitationId", invitationId.toString(), "email", body.email(), "role", body.role(),
                        "token", token, "expiresAt", expiresAt.toString()));
    }

    @PatchMapping(path = "/v1/workspaces/{workspace}/members/{userId}", consumes = {"application/json", "application/merge-patch+json"})
    @Operation(summary = "Change a member's role (owner or admin; only owners change an owner's role)",
            description = "409 workspace.last-owner for the last owner.")
    @WorkspaceRoute(command = ChangeMemberRole.class)
    ResponseEntity<Map<String, Object>> changeRole(Grant grant, @PathVariable String userId, @RequestBody RoleChange body) {
        if (body.role() == null) {
            throw invalid("role", "is required: owner, admin, member or viewer");
        }
        ChangeMemberRole command = ChangeMemberRole.newBuilder().setWorkspaceId(grant.workspaceId().toString())
                .setUserId(memberId(userId)).setRole(body.role()).build();
        CommandBus.Accepted accepted = CommandBus.await(commands.send(grant, command));
        return ResponseEntity.ok().header(ConsistencyToken.HEADER, accepted.consistency().toString())
                .body(Map.of("userId", userId, "role", body.role()));
    }

    @DeleteMapping("/v1/workspaces/{workspace}/members/{userId}")
    @Operation(summary = "Remove a member (owner or admin); they lose access at once",
            description = "409 workspace.last-owner for the last owner.")
    @WorkspaceRoute(command = RemoveMember.class)
    ResponseEntity<Void> remove(Grant grant, @PathVariable String userId) {
        RemoveMember command = RemoveMember.newBuilder().setWorkspaceId(grant.workspaceId().toString())
                .setUserId(memberId(userId)).build();
        CommandBus.Accepted accepted = CommandBus.await(commands.send(grant, command));
        return ResponseEntity.noContent().header(ConsistencyToken.HEADER, accepted.consistency().toString()).build();
    }

    @DeleteMapping("/v1/workspaces/{workspace}/invitations/{invitationId}")
    @Operation(summary = "Withdraw a pending invitation (owner or admin): its token no longer lets anyone in",
            description = "404 invitation.not-found; 410 invitation.used for one accepted already.")
    @WorkspaceRoute(command = WithdrawInvitation.class)
    ResponseEntity<Void> withdraw(Grant grant, @PathVariable String invitationId) {
        UUID id = io.fleetstream.support.web.PathIds.uuid(invitationId, WorkspaceErrors.INVITATION_NOT_FOUND, "invitation");
        WithdrawInvitation command = WithdrawInvitation.newBuilder().setWorkspaceId(grant.workspaceId().toString())
                .setInvitationId(id.toString()).build();
        CommandBus.Accepted accepted = CommandBus.await(commands.send(grant, command));
        return ResponseEntity.noContent().header(ConsistencyToken.HEADER, accepted.consistency().toString()).build();
    }

    @PostMapping("/v1/workspaces/{workspace}/leave")
    @Operation(summary = "Leave the workspace (any member, a person only); its teams too",
            description = "409 workspace.last-owner for the last owner.")
    @WorkspaceRoute(command = LeaveWorkspace.class)
    ResponseEntity<Void> leave(Grant grant, Person person) {
        LeaveWorkspace command = LeaveWorkspace.newBuilder().setWorkspaceId(grant.workspaceId().toString())
                .setUserId(person.userId().toString()).build();
        CommandBus.Accepted accepted = CommandBus.await(commands.send(grant, command));
        return ResponseEntity.noContent().header(ConsistencyToken.HEADER, accepted.consistency().toString()).build();
    }

    @PostMapping("/v1/invitations/{token}/accept")
    @Operation(summary = "Accept an invitation, signed in with the verified e-mail address it was sent to",
            description = "404 invitation.not-found, 410 invitation.used or invitation.expired, 403 invitation.not-yours.")
    ResponseEntity<Map<String, Object>> accept(Person person, @PathVariable String token) {
        InvitationRecord invitation = token.startsWith(INVITATION_MARK) && token.length() < 100
                ? db.selectFrom(INVITATION).where(INVITATION.TOKEN_HASH.eq(ApiKeySecrets.hash(token))).fetchOne() : null;
        if (invitation == null) {
            throw new FleetException(WorkspaceErrors.INVITATION_NOT_FOUND, "No such invitation.");
        }
        if (person.email() == null || !person.emailVerified() || !person.email().equalsIgnoreCase(invitation.getEmail())) {
            throw new FleetException(WorkspaceErrors.INVITATION_NOT_YOURS, "The invitation is for another e-mail "
                    + "address; sign in with the verified address it was sent to.");
        }
        AcceptInvitation command = AcceptInvitation.newBuilder().setWorkspaceId(invitation.getWorkspaceId().toString())
                .setInvitationId(invitation.getInvitationId().toString()).setTokenHash(invitation.getTokenHash())
                .setUserId(person.userId().toString()).setEmail(person.email()).build();
        CommandBus.Accepted accepted = CommandBus.await(
                commands.send(invitation.getWorkspaceId().toString(), person, command));
        return ResponseEntity.ok().header(ConsistencyToken.HEADER, accepted.consistency().toString())
                .body(Map.of("workspaceId", invitation.getWorkspaceId().toString(), "role", invitation.getRole()));
    }

    private AppUserRecord knownUser(String userId) {
        AppUserRecord user = db.selectFrom(APP_USER).where(APP_USER.USER_ID.eq(parseUser(userId))).fetchOne();
        if (user == null) {
            throw new FleetException(UserErrors.NOT_FOUND, "No user " + userId + "; invite them by e-mail instead.");
        }
        return user;
    }

    private static String memberId(String userId) {
        return parseUser(userId).toString();
    }

    private static UUID parseUser(String userId) {
        return io.fleetstream.support.web.PathIds.uuid(userId, WorkspaceErrors.MEMBER_NOT_FOUND, "member");
    }

    private static FleetException invalid(String field, String message) {
        return new FleetException(CommonErrors.INVALID_REQUEST, field + " " + message,
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }
}
