package io.fleetstream.support.security;

import io.fleetstream.schemas.command.Actor;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who calls the API: a person (a token of the identity provider) or an integration (an API key of one
 * workspace). What either may do is Fleetstream's own state, never a claim of the credential.
 */
public sealed interface Principal permits Person, ApiKey {

    /** A stable, loggable name of the principal: {@code user:<id>} or {@code key:<id>} (rate limits, logs). */
    String key();

    /** The actor its commands carry. */
    Actor actor();

    /** The principal of the current request; 401 without credentials. */
    static Principal current(FleetSecurityProperties properties) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof ApiKeyAuthentication key) {
            return key.key();
        }
        if (authentication instanceof JwtAuthenticationToken) {
            return Person.current(properties);
        }
        throw new FleetException(CommonErrors.UNAUTHENTICATED, "No bearer token.");
    }

    static Actor actor(ActorKind kind, String id) {
        return Actor.newBuilder().setKind(kind).setId(id).build();
    }
}
