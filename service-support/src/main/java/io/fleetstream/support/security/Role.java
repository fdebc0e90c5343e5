package io.fleetstream.support.security;

import java.util.Locale;
import java.util.Optional;

/** Roles within a workspace, strongest first. */
public enum Role {
    OWNER, ADMIN, MEMBER, VIEWER;

    public boolean mayWrite() {
        return this != VIEWER;
    }

    public String authority() {
        return "ROLE_" + name();
    }

    public static Optional<Role> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            // taken as sent: trimming would make a role of "owner" followed by a NUL or other padding
            return Optional.of(Role.valueOf(value.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
