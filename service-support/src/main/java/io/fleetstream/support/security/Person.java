package io.fleetstream.support.security;

import io.fleetstream.support.web.ClientText;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The person a bearer token names: who they are is the token's issuer and subject; what they may do is
 * Fleetstream's own state (memberships, grants), never the token's. Their user id is derived from the
 * issuer and subject, so that every service finds the same user for the same person without asking.
 */
public record Person(UUID userId, String issuer, String subject, @Nullable String email, boolean emailVerified,
        @Nullable String name) implements Principal {

    /**
     * The workspace of what belongs to the platform rather than to a tenant (users): a name no token's
     * workspace can take (slugs and ids allow no '#'), so no tenant can read or wait for it.
     */
    public static final String PLATFORM_WORKSPACE = "#platform";

    private static final int MAX_SUBJECT = 255;
    private static final int MAX_EMAIL = 320;
    private static final int MAX_NAME = 200;

    @Override
    public String key() {
        return "user:" + userId;
    }

    @Override
    public io.fleetstream.schemas.command.Actor actor() {
        return Principal.actor(io.fleetstream.schemas.command.ActorKind.USER, userId.toString());
    }

    /** The user id of a person: the same for the same issuer and subject, everywhere, for ever. */
    public static UUID userId(String issuer, String subject) {
        return UUID.nameUUIDFromBytes(("fleetstream-user\n" + issuer + "\n" + subject).getBytes(StandardCharsets.UTF_8));
    }

    /** The person of the current request; 401 without a token, 400 naming the claim a token gets wrong. */
    public static Person current(FleetSecurityProperties properties) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthenticationToken token)) {
            throw new FleetException(CommonErrors.UNAUTHENTICATED, "No bearer token.");
        }
        return of(token.getToken());
    }

    static Person of(Jwt jwt) {
        String issuer = jwt.getIssuer() == null ? "" : jwt.getIssuer().toString();
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT || ClientText.firstForbidden(subject) >= 0) {
            throw invalid("sub", "must be 1 to " + MAX_SUBJECT + " printable characters");
        }
        String email = optional(jwt, "email", MAX_EMAIL);
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+")) {
            throw invalid("email", "must be an e-mail address");
        }
        String name = optional(jwt, "name", MAX_NAME);
        boolean verified = Boolean.TRUE.equals(jwt.getClaims().get("email_verified"));
        return new Person(userId(issuer, subject), issuer, subject, email, verified, name);
    }

    private static @Nullable String optional(Jwt jwt, String claim, int maxLength) {
        Object value = jwt.getClaims().get(claim);
        if (value == null) {
            return null;
        }
        String text = value.toString();
        if (text.isBlank() || text.length() > maxLength || ClientText.firstForbidden(text) >= 0) {
            throw invalid(claim, "must be 1 to " + maxLength + " printable characters");
        }
        return text;
    }

    private static FleetException invalid(String claim, String message) {
        return new FleetException(CommonErrors.INVALID_REQUEST, "The token's '" + claim + "' claim is not valid.",
                Map.of("errors", List.of(Map.of("field", "token." + claim, "message", message))));
    }
}
