package io.fleetstream.support.security;

import io.fleetstream.schemas.command.Actor;
import io.fleetstream.schemas.command.ActorKind;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An integration's key: it acts in one workspace only, within its scopes, and never beyond what its
 * creator's role there allows at the moment it is used.
 */
public record ApiKey(UUID keyId, UUID workspaceId, UUID creatorId, String name, Set<String> scopes,
        @Nullable Instant expiresAt, Instant createdAt) implements Principal {

    @Override
    public String key() {
        return "key:" + keyId;
    }

    @Override
    public Actor actor() {
        return Principal.actor(ActorKind.API_KEY, keyId.toString());
    }
}
