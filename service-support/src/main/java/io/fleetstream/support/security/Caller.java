package io.fleetstream.support.security;

import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import java.util.Comparator;
import java.util.Objects;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** Who is calling: the token's subject, its workspace (the tenant) and its strongest role there. */
public record Caller(String subject, String workspaceId, Role role) {

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
        Role role = jwt.getAuthorities().stream()
                .map(a -> a.getAuthority().startsWith("ROLE_") ? Role.parse(a.getAuthority().substring(5)) : java.util.Optional.<Role>empty())
                .flatMap(java.util.Optional::stream)
                .min(Comparator.naturalOrder())
                .orElseThrow(() -> new FleetException(CommonErrors.FORBIDDEN,
                        "The token carries no workspace role in '" + properties.roleClaim() + "'."));
        return new Caller(jwt.getName(), workspace, role);
    }

    public Caller requireWriter() {
        if (!role.mayWrite()) {
            throw new FleetException(CommonErrors.FORBIDDEN, "Role " + role.name().toLowerCase() + " may only read.");
        }
        return this;
    }
}
