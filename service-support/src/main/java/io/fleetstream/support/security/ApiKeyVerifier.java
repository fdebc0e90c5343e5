package io.fleetstream.support.security;

import java.util.Optional;

/** Finds the live key a secret belongs to (not revoked, not expired); services with the read model provide one. */
public interface ApiKeyVerifier {

    Optional<ApiKey> verify(String secret);
}
