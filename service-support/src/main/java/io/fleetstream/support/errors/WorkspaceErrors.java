package io.fleetstream.support.errors;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

/** Errors of workspaces and their members. */
public final class WorkspaceErrors {

    public static final ErrorCode NOT_FOUND = ErrorCode.of("workspace.not-found", HttpStatus.NOT_FOUND,
            "No such workspace",
            "Check the workspace id or slug; workspaces you are not a member of are not visible to you.");

    public static final ErrorCode EXISTS = ErrorCode.of("workspace.exists", HttpStatus.CONFLICT,
            "The workspace already exists",
            "Create it under a new id.");

    public static final ErrorCode SLUG_TAKEN = ErrorCode.of("workspace.slug-taken", HttpStatus.CONFLICT,
            "Another workspace has this slug",
            "Choose another slug, or leave it out to have one made from the name.");

    public static final ErrorCode ARCHIVED = ErrorCode.of("workspace.archived", HttpStatus.CONFLICT,
            "The workspace is archived",
            "An archived workspace stays readable but takes no writes; an owner or admin restores it first.");

    public static final ErrorCode NOT_ARCHIVED = ErrorCode.of("workspace.not-archived", HttpStatus.CONFLICT,
            "Only an archived workspace can be deleted",
            "Archive the workspace first (POST .../archive), then delete it.");

    public static final ErrorCode DELETED = ErrorCode.of("workspace.deleted", HttpStatus.GONE,
            "The workspace was deleted",
            "Its history stays for the platform's audit log; nothing in it can change.");

    public static final ErrorCode LAST_OWNER = ErrorCode.of("workspace.last-owner", HttpStatus.CONFLICT,
            "A workspace keeps at least one owner",
            "Make another member owner first, then remove or demote this one.");

    public static final ErrorCode INVALID = ErrorCode.of("workspace.invalid", HttpStatus.BAD_REQUEST,
            "The workspace data is not valid",
            "Fix what 'detail' names (a timezone is an IANA name such as Europe/Berlin) and send it again.");

    public static final ErrorCode MEMBER_EXISTS = ErrorCode.of("member.exists", HttpStatus.CONFLICT,
            "Already a member",
            "Change the member's role with PATCH .../members/{userId} instead.");

    public static final ErrorCode MEMBER_NOT_FOUND = ErrorCode.of("member.not-found", HttpStatus.NOT_FOUND,
            "Not a member of this workspace",
            "Check the user id against GET .../members.");

    private WorkspaceErrors() {
    }

    public static final ErrorCode INVITATION_EXISTS = ErrorCode.of("invitation.exists", HttpStatus.CONFLICT,
            "The invitation exists already",
            "Send the invitation once; list pending invitations with GET .../members.");

    public static final ErrorCode INVITATION_NOT_FOUND = ErrorCode.of("invitation.not-found", HttpStatus.NOT_FOUND,
            "No such invitation",
            "Check the token from the invitation; ask the workspace's admin for a new one.");

    public static final ErrorCode INVITATION_USED = ErrorCode.of("invitation.used", HttpStatus.GONE,
            "The invitation was accepted already",
            "An invitation is single use; ask the workspace's admin for a new one.");

    public static final ErrorCode INVITATION_EXPIRED = ErrorCode.of("invitation.expired", HttpStatus.GONE,
            "The invitation has expired",
            "Invitations are valid 7 days; ask the workspace's admin for a new one.");

    public static final ErrorCode INVITATION_WITHDRAWN = ErrorCode.of("invitation.withdrawn", HttpStatus.GONE,
            "The invitation was withdrawn",
            "Ask an owner or admin of the workspace for a new invitation.");

    public static final ErrorCode INVITATION_NOT_YOURS = ErrorCode.of("invitation.not-yours", HttpStatus.FORBIDDEN,
            "The invitation is for another e-mail address",
            "Sign in with the verified e-mail address the invitation was sent to.");
}
