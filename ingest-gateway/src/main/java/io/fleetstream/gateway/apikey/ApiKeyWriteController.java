package io.fleetstream.gateway.apikey;

import io.fleetstream.gateway.command.CommandBus;
import io.fleetstream.schemas.ConsistencyToken;
import io.fleetstream.schemas.apikey.CreateApiKey;
import io.fleetstream.schemas.apikey.RevokeApiKey;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.Scopes;
import io.fleetstream.support.access.WorkspaceRoute;
import io.fleetstream.support.errors.ApiKeyErrors;
import io.fleetstream.support.security.ApiKeySecrets;
import io.fleetstream.support.security.Person;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * API keys of a workspace, for integrations: created by an owner or admin (a person, never another key),
 * shown once, kept only as a hash; revoking one stops it on every gateway within seconds.
 */
@RestController
@Tag(name = "API keys")
class ApiKeyWriteController {

    private final CommandBus commands;

    ApiKeyWriteController(CommandBus commands) {
        this.commands = commands;
    }

    /** A new key: its name, scopes and optional expiry (ISO-8601). */
    record NewKey(String name, List<String> scopes, @Nullable String expiresAt) {
    }

    @PostMapping(path = "/v1/workspaces/{workspace}/api-keys", consumes = "application/json")
    @Operation(summary = "Create an API key (owner or admin); its secret is shown only in this answer",
            description = "Scopes are <area>:read or <area>:write (write implies read) for workspace, members, teams, "
                    + "devices, telemetry, audit and api-keys, or *:read / *:write. A key acts in this workspace only and "
                    + "never beyond its creator's role.")
    @WorkspaceRoute(command = CreateApiKey.class)
    ResponseEntity<Map<String, Object>> create(Grant grant, @RequestBody NewKey body) {
        if (!(grant.principal() instanceof Person person)) {
            throw new FleetException(CommonErrors.FORBIDDEN, "Only a person creates API keys, not another key.");
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        if (body.name() == null || body.name().isBlank()) {
            errors.add(Map.of("field", "name", "message", "is required"));
        }
        Set<String> scopes = Set.of();
        try {
            scopes = Scopes.parse(body.scopes());
        } catch (IllegalArgumentException e) {
            errors.add(Map.of("field", "scopes", "message", e.getMessage()));
        }
        Instant expiresAt = null;
        if (body.expiresAt() != null) {
            try {
                expiresAt = Instant.parse(body.expiresAt()).truncatedTo(ChronoUnit.MILLIS);
                if (!expiresAt.isAfter(Instant.now()) || expiresAt.isAfter(Instant.now().plus(java.time.Duration.ofDays(3660)))) {
                    errors.add(Map.of("field", "expiresAt", "message", "must be in the future, at most 10 years from now"));
                }
            } catch (DateTimeParseException e) {
                errors.add(Map.of("field", "expiresAt", "message", "must be an ISO-8601 instant, e.g. 2027-01-01T00:00:00Z"));
            }
        }
        if (!errors.isEmpty()) {
            throw new FleetException(ApiKeyErrors.INVALID, errors.size() + " field(s) invalid", Map.of("errors", errors));
        }
        String secret = ApiKeySecrets.newSecret();
        UUID id = UUID.randomUUID();
        CreateApiKey command = CreateApiKey.newBuilder().setKeyId(id.toString()).setWorkspaceId(grant.workspaceId().toString())
                .setName(body.name()).setPrefix(ApiKeySecrets.prefix(secret)).setSecretHash(ApiKeySecrets.hash(secret))
                .setScopes(List.copyOf(scopes)).setCreatorId(person.userId().toString()).setExpiresAt(expiresAt).build();
        CommandBus.Accepted accepted = CommandBus.await(commands.send(grant, command));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id.toString());
        view.put("name", body.name());
        view.put("prefix", command.getPrefix());
        view.put("scopes", command.getScopes());
        view.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
        view.put("secret", secret);
        return ResponseEntity.created(URI.create("/v1/workspaces/" + grant.slug() + "/api-keys/" + id))
                .header(ConsistencyToken.HEADER, accepted.consistency().toString()).body(view);
    }

    @DeleteMapping("/v1/workspaces/{workspace}/api-keys/{keyId}")
    @Operation(summary = "Revoke an API key (owner or admin): every gateway refuses it within seconds")
    @WorkspaceRoute(command = RevokeApiKey.class)
    ResponseEntity<Void> revoke(Grant grant, @PathVariable String keyId) {
        UUID id = io.fleetstream.support.web.PathIds.uuid(keyId, ApiKeyErrors.NOT_FOUND, "API key");
        CommandBus.Accepted accepted = CommandBus.await(commands.send(grant, RevokeApiKey.newBuilder().setKeyId(id.toString()).build()));
        return ResponseEntity.noContent().header(ConsistencyToken.HEADER, accepted.consistency().toString()).build();
    }

}
