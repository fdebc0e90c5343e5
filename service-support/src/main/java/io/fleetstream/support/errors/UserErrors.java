package io.fleetstream.support.errors;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

/** Errors of people: their profiles and platform administration. */
public final class UserErrors {

    public static final ErrorCode NOT_FOUND = ErrorCode.of("user.not-found", HttpStatus.NOT_FOUND,
            "No such user",
            "A person becomes a user the first time they call the API with a token; check the user id.");

    public static final ErrorCode EXISTS = ErrorCode.of("user.exists", HttpStatus.CONFLICT,
            "The user already exists",
            "A person is registered once, on first sight; nothing to do.");

    public static final ErrorCode NOT_YOURS = ErrorCode.of("user.not-yours", HttpStatus.FORBIDDEN,
            "Only the person may change their own profile",
            "Change your own profile with PATCH /v1/user.");

    public static final ErrorCode INVALID = ErrorCode.of("user.invalid", HttpStatus.BAD_REQUEST,
            "The profile is not valid",
            "Fix what 'detail' names and send it again.");

    public static final ErrorCode OWN_ADMINISTRATION = ErrorCode.of("user.own-administration", HttpStatus.CONFLICT,
            "Platform administration cannot be taken from oneself",
            "Ask another platform administrator to revoke it, so that the platform is never left without one by mistake.");

    public static final ErrorCode CONFIGURED_ADMIN = ErrorCode.of("user.configured-admin", HttpStatus.CONFLICT,
            "This person is a platform administrator by the settings",
            "Remove them from FLEET_PLATFORM_ADMINS and restart the gateways; the setting would grant it again.");

    private UserErrors() {
    }
}
