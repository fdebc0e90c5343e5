package io.fleetstream.support.errors;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

/** Errors of teams. */
public final class TeamErrors {

    public static final ErrorCode NOT_FOUND = ErrorCode.of("team.not-found", HttpStatus.NOT_FOUND,
            "No such team in this workspace",
            "List the workspace's teams with GET /v1/workspaces/{workspace}/teams.");

    public static final ErrorCode EXISTS = ErrorCode.of("team.exists", HttpStatus.CONFLICT,
            "A team with this id exists already",
            "Create the team again: each creation makes a new id.");

    public static final ErrorCode NOT_A_MEMBER = ErrorCode.of("team.not-a-member", HttpStatus.CONFLICT,
            "Only members of the workspace join its teams",
            "Add the person to the workspace first (POST /v1/workspaces/{workspace}/members).");

    public static final ErrorCode DELETED = ErrorCode.of("team.deleted", HttpStatus.GONE,
            "The team was deleted",
            "Create a new team.");

    private TeamErrors() {
    }
}
