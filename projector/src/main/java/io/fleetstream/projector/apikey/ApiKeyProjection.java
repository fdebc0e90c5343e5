package io.fleetstream.projector.apikey;

import static io.fleetstream.schemas.readmodel.Tables.API_KEY;

import io.fleetstream.projector.projection.EventProjection;
import io.fleetstream.projector.projection.EventSupport;
import io.fleetstream.schemas.apikey.ApiKeyCreated;
import io.fleetstream.schemas.apikey.ApiKeyRevoked;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The API keys of every workspace, which the gateways check keys against (by the hash of the secret;
 * the secret itself never reaches Kafka).
 */
@Component
public class ApiKeyProjection extends EventProjection {

    public static final String NAME = "projector-api-keys";

    ApiKeyProjection(EventSupport support) {
        super(NAME, Set.of("api-key"), List.of(API_KEY), support);
        on(ApiKeyCreated.class, e -> {
            ApiKeyCreated key = e.payload();
            int changed = db().insertInto(API_KEY).set(API_KEY.KEY_ID, e.uuid())
                    .set(API_KEY.WORKSPACE_ID, UUID.fromString(key.getWorkspaceId())).set(API_KEY.NAME, key.getName())
                    .set(API_KEY.PREFIX, key.getPrefix()).set(API_KEY.SECRET_HASH, key.getSecretHash())
                    .set(API_KEY.SCOPES, key.getScopes().toArray(String[]::new))
                    .set(API_KEY.CREATOR_ID, UUID.fromString(key.getCreatorId())).set(API_KEY.CREATED_AT, e.at())
                    .set(API_KEY.EXPIRES_AT, key.getExpiresAt() == null ? null : key.getExpiresAt().atOffset(ZoneOffset.UTC))
                    .set(API_KEY.VERSION, e.sequence())
                    .onConflict(API_KEY.KEY_ID).doNothing().execute();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("name", key.getName());
            data.put("prefix", key.getPrefix());
            data.put("scopes", key.getScopes());
            data.put("createdBy", key.getCreatorId());
            return new Change(changed > 0, "api-key.created", data);
        });
        on(ApiKeyRevoked.class, e -> {
            boolean fresh = db().update(API_KEY).set(API_KEY.REVOKED_AT, e.at()).set(API_KEY.VERSION, e.sequence())
                    .where(API_KEY.KEY_ID.eq(e.uuid()), API_KEY.VERSION.lt(e.sequence())).execute() == 1;
            return new Change(fresh, "api-key.revoked", Map.of());
        });
    }

    /** The key as it was after the event, without its hash. */
    @Override
    protected Optional<Object> state(Event<?> event) {
        return db().selectFrom(API_KEY).where(API_KEY.KEY_ID.eq(event.uuid())).fetchOptional().map(k -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", k.getKeyId().toString());
            view.put("name", k.getName());
            view.put("prefix", k.getPrefix());
            view.put("scopes", List.of(k.getScopes()));
            view.put("createdBy", k.getCreatorId().toString());
            view.put("expiresAt", k.getExpiresAt() == null ? null : k.getExpiresAt().toInstant().toString());
            view.put("revoked", k.getRevokedAt() != null);
            view.put("version", k.getVersion());
            return view;
        });
    }
}
