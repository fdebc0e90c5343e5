package io.fleetstream.command.apikey;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.fleetstream.command.intake.CommandRejectedException;
import io.fleetstream.command.intake.CommandMetadata;
import io.fleetstream.command.intake.CommandTargets;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.support.web.CommonErrors;
import org.axonframework.messaging.annotation.MetaDataValue;
import io.fleetstream.schemas.apikey.ApiKeyCreated;
import io.fleetstream.schemas.apikey.ApiKeyRevoked;
import io.fleetstream.schemas.apikey.CreateApiKey;
import io.fleetstream.schemas.apikey.RevokeApiKey;
import io.fleetstream.support.access.Scopes;
import io.fleetstream.support.errors.ApiKeyErrors;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * An integration's key to one workspace: its scopes, its creator and its expiry. Revoking is final. The
 * secret never reaches the command service, only its hash.
 */
@Aggregate(type = "api-key", commandTargetResolver = CommandTargets.BEAN, cache = CommandTargets.CACHE)
class ApiKey {

    @AggregateIdentifier
    private String keyId;
    private String workspaceId;
    private boolean revoked;

    protected ApiKey() {
        // for Axon's event sourcing
    }

    @CommandHandler
    ApiKey(CreateApiKey command, @MetaDataValue(CommandMetadata.ACTOR_KIND) String actorKind,
            @MetaDataValue(CommandMetadata.ACTOR_ID) String actorId) {
        // a key is a person's: another key could hand out scopes it does not have itself
        if (!ActorKind.SYSTEM.name().equals(actorKind)
                && !(ActorKind.USER.name().equals(actorKind) && actorId.equals(command.getCreatorId()))) {
            throw new CommandRejectedException(CommonErrors.FORBIDDEN, "Only a person creates API keys, as their own");
        }
        try {
            Scopes.parse(command.getScopes());
        } catch (IllegalArgumentException e) {
            throw new CommandRejectedException(ApiKeyErrors.INVALID, e.getMessage());
        }
        if (command.getExpiresAt() != null && !command.getExpiresAt().isAfter(Instant.now())) {
            throw new CommandRejectedException(ApiKeyErrors.INVALID, "expiresAt must be in the future");
        }
        apply(ApiKeyCreated.newBuilder().setKeyId(command.getKeyId()).setWorkspaceId(command.getWorkspaceId())
                .setName(command.getName()).setPrefix(command.getPrefix()).setSecretHash(command.getSecretHash())
                .setScopes(command.getScopes()).setCreatorId(command.getCreatorId()).setExpiresAt(command.getExpiresAt())
                .build());
    }

    @CommandHandler
    void handle(RevokeApiKey command) {
        if (revoked) {
            return; // revoking twice changes nothing
        }
        apply(ApiKeyRevoked.newBuilder().setKeyId(keyId).setWorkspaceId(workspaceId).build());
    }

    @EventSourcingHandler
    void on(ApiKeyCreated event) {
        keyId = event.getKeyId();
        workspaceId = event.getWorkspaceId();
    }

    @EventSourcingHandler
    void on(ApiKeyRevoked event) {
        revoked = true;
    }
}
