package io.fleetstream.support.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A request authenticated by an API key. Its name is the key's principal name ({@code key:<id>}). */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final ApiKey key;

    public ApiKeyAuthentication(ApiKey key) {
        super(List.of());
        this.key = key;
        setAuthenticated(true);
    }

    public ApiKey key() {
        return key;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return key;
    }

    @Override
    public String getName() {
        return key.key();
    }
}
