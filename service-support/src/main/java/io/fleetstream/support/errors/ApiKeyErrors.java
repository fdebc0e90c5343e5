package io.fleetstream.support.errors;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

/** Errors of API keys. */
public final class ApiKeyErrors {

    public static final ErrorCode NOT_FOUND = ErrorCode.of("api-key.not-found", HttpStatus.NOT_FOUND,
            "No such API key in this workspace",
            "List the workspace's keys with GET /v1/workspaces/{workspace}/api-keys.");

    public static final ErrorCode EXISTS = ErrorCode.of("api-key.exists", HttpStatus.CONFLICT,
            "An API key with this id exists already",
            "Create the key again: each creation makes a new id.");

    public static final ErrorCode INVALID = ErrorCode.of("api-key.invalid", HttpStatus.BAD_REQUEST,
            "The API key's fields are not valid",
            "Give a name, at least one scope (<area>:read|write or *:read|*:write) and an expiry in the future, if any.");

    public static final ErrorCode REVOKED = ErrorCode.of("api-key.revoked", HttpStatus.CONFLICT,
            "The API key is revoked",
            "A revoked key stays revoked; create a new one.");

    private ApiKeyErrors() {
    }
}
