package io.fleetstream.support.security;

import io.fleetstream.support.web.ClientText;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** Who is calling: the token's subject, its workspace (the tenant) and its strongest role there. */
public record Caller(String subject, String workspaceId, Role role) {

    /** The same shape the logs accept ({@link CallerLogContextFilter}). */
    static final Pattern WORKSPACE = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    private static final int MAX_SUBJECT = 255;

    public Caller {
        Objects.requireNonNull(subject);
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(role);
    }

    /** The caller of the current request; fails with 401/403 problems when the token does not qualify. */
    public static Caller current(FleetSecurityProperties properties) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthenticationToken jwt)) {
            throw new FleetException(CommonErrors.UNAUTHENTICATED, "No bearer token.");
        }
        String workspace = jwt.getToken().getClaimAsString(properties.workspaceClaim());
        if (workspace == null || workspace.isBlank()) {
            throw new FleetException(CommonErrors.NO_WORKSPACE,
                    "The token has no '" + properties.workspaceClaim() + "' claim.");
        }
        // a claim is outside input like any other: it names rows and goes into commands and events
        if (!WORKSPACE.matcher(workspace).matches()) {
            throw invalidClaim(properties.workspaceClaim(), "must be 1 to 128 letters, digits, '.', '_', ':', '@' or '-'");
        }
        String subject = jwt.getName();
        if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT
                || ClientText.firstForbidden(subject) >= 0) {
            throw invalidClaim("sub", "must be 1 to " + MAX_SUBJECT + " printable characters");
        }
        Role role = jwt.getAuthorities().stream()
                .map(a -> a.getAuthority().startsWith("ROLE_") ? Role.parse(a.getAuthority().substring(5)) : java.util.Optional.<Role>empty())
                .flatMap(java.util.Optional::stream)
                .min(Comparator.naturalOrder())
                .orElseThrow(() -> new FleetException(CommonErrors.FORBIDDEN,
                        "The token carries no workspace role in '" + properties.roleClaim() + "'."));
        return new Caller(jwt.getName(), workspace, role);
    }

    private static FleetException invalidClaim(String claim, String message) {
        return new FleetException(CommonErrors.INVALID_REQUEST, "The token's '" + claim + "' claim is not valid.",
                Map.of("errors", List.of(Map.of("field", "token." + claim, "message", message))));
    }

}
