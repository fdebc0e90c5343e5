package io.fleetstream.gateway.device;

import io.fleetstream.support.errors.DeviceErrors;
import io.fleetstream.gateway.command.CommandBus;
import io.fleetstream.schemas.ConsistencyToken;
import io.fleetstream.schemas.device.DecommissionDevice;
import io.fleetstream.schemas.device.RegisterDevice;
import io.fleetstream.schemas.device.UpdateDeviceSettings;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.WorkspaceRoute;
import io.fleetstream.support.web.FleetException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Device writes: each becomes one command, answered when the command service has applied or refused
 * it. Every success carries {@code Fleet-Consistency} so the caller can read its own write.
 */
@RestController
@RequestMapping("/v1/workspaces/{workspace}/devices")
@Tag(name = "Devices")
class DeviceWriteController {

    private static final int MAX_SETTINGS_BYTES = 64 * 1024;
    /** Every reader of settings (command service, projector, query service) parses them again: keep them shallow. */
    private static final int MAX_SETTINGS_DEPTH = 32;

    private final CommandBus commands;
    private final JsonMapper json;
    private final DeviceRevocations revocations;

    DeviceWriteController(CommandBus commands, JsonMapper json, DeviceRevocations revocations) {
        this.commands = commands;
        this.json = json;
        this.revocations = revocations;
    }

    @PostMapping(consumes = "application/json")
    @Operation(summary = "Register a device",
            description = "Answers 201 with the device and its deviceToken, shown only this once. Send the "
                    + "Fleet-Consistency header back on a read to see the device. 409 device.hardware-id-taken when "
                    + "another live device of the workspace has the hardwareId.")
    @WorkspaceRoute(command = RegisterDevice.class)
    CompletableFuture<ResponseEntity<RegisteredDevice>> register(Grant grant,
            @Valid @RequestBody RegisterDeviceRequest request) {
        UUID id = UUID.randomUUID();
        String settings = settingsText(request.settings() == null ? json.createObjectNode() : request.settings());
        String token = DeviceTokens.newToken();
        RegisterDevice command = RegisterDevice.newBuilder()
                .setDeviceId(id.toString())
                .setName(request.name())
                .setDeviceType(request.type())
                .setHardwareId(request.hardwareId())
                .setSettingsJson(settings)
                .setTokenHash(DeviceTokens.hash(token))
                .build();
        return commands.send(grant, command).thenApply(accepted -> ResponseEntity
                .created(URI.create("/v1/workspaces/" + grant.slug() + "/devices/" + id))
                .header(ConsistencyToken.HEADER, accepted.consistency().toString())
                .body(new RegisteredDevice(id.toString(), command.getName(), command.getDeviceType(),
                        command.getHardwareId(), json.readTree(settings), "active", accepted.consistency().version(),
                        token)));
    }

    @PatchMapping(path = "/{id}/settings", consumes = {"application/merge-patch+json", "application/json"})
    @Operation(summary = "Change a device's settings with a JSON merge patch (RFC 7396)",
            description = "A null member removes that setting. Answers the device's new version.")
    @WorkspaceRoute(command = UpdateDeviceSettings.class)
    CompletableFuture<ResponseEntity<Map<String, Object>>> updateSettings(Grant grant, @PathVariable String id,
            @RequestBody JsonNode patch) {
        UUID deviceId = parseId(id);
        UpdateDeviceSettings command = UpdateDeviceSettings.newBuilder()
                .setDeviceId(deviceId.toString())
                .setPatchJson(settingsText(patch))
                .build();
        return commands.send(grant, command).thenApply(accepted -> ResponseEntity.ok()
                .header(ConsistencyToken.HEADER, accepted.consistency().toString())
                .body(Map.<String, Object>of("id", id, "version", accepted.consistency().version())));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Decommission a device", description = "Its token stops working; its history stays readable.")
    @WorkspaceRoute(command = DecommissionDevice.class)
    CompletableFuture<ResponseEntity<Void>> decommission(Grant grant, @PathVariable String id) {
        UUID deviceId = parseId(id);
        DecommissionDevice command = DecommissionDevice.newBuilder().setDeviceId(deviceId.toString()).setReason(null).build();
        return commands.send(grant, command).thenApply(accepted -> {
            revocations.revokeNow(deviceId.toString());
            return accepted;
        }).thenApply(accepted -> ResponseEntity.noContent()
                .header(ConsistencyToken.HEADER, accepted.consistency().toString())
                .<Void>build());
    }

    /** A device's team: the team's id, or null for none. */
    record TeamChoice(@org.jspecify.annotations.Nullable String teamId) {
    }

    @org.springframework.web.bind.annotation.PutMapping(path = "/{id}/team", consumes = "application/json")
    @Operation(summary = "Put a device in a team of the workspace, or in none ({\"teamId\": null})",
            description = "404 team.not-found for a team this workspace does not have.")
    @WorkspaceRoute(command = io.fleetstream.schemas.device.AssignDeviceTeam.class)
    CompletableFuture<ResponseEntity<Map<String, Object>>> assignTeam(Grant grant, @PathVariable String id,
            @RequestBody TeamChoice body) {
        UUID deviceId = parseId(id);
        String team = body == null || body.teamId() == null ? null
                : parseTeam(body.teamId());
        var command = io.fleetstream.schemas.device.AssignDeviceTeam.newBuilder().setDeviceId(deviceId.toString())
                .setTeamId(team).build();
        return commands.send(grant, command).thenApply(accepted -> {
            Map<String, Object> answer = new java.util.LinkedHashMap<>();
            answer.put("id", id);
            answer.put("teamId", team);
            answer.put("version", accepted.consistency().version());
            return ResponseEntity.ok().header(ConsistencyToken.HEADER, accepted.consistency().toString()).body(answer);
        });
    }

    private static String parseTeam(String teamId) {
        return io.fleetstream.support.web.PathIds.uuid(teamId, io.fleetstream.support.errors.TeamErrors.NOT_FOUND,
                "team in this workspace").toString();
    }

    private String settingsText(JsonNode settings) {
        if (!settings.isObject()) {
            throw new FleetException(DeviceErrors.INVALID_SETTINGS, "Settings must be a JSON object, not "
                    + settings.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ".");
        }
        if (depth(settings) > MAX_SETTINGS_DEPTH) {
            throw new FleetException(DeviceErrors.INVALID_SETTINGS, "Settings are nested deeper than "
                    + MAX_SETTINGS_DEPTH + " levels.");
        }
        String text = json.writeValueAsString(settings);
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_SETTINGS_BYTES) {
            throw new FleetException(DeviceErrors.INVALID_SETTINGS, "Settings are larger than 64 KiB.");
        }
        return text;
    }

    /** Levels of objects and arrays: 1 for {@code {}}, 2 for {@code {"a":[]}}. */
    private static int depth(JsonNode node) {
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child));
        }
        return node.isContainer() ? deepest + 1 : 0;
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new FleetException(DeviceErrors.NOT_FOUND, "No device " + id + " in your workspace.");
        }
    }
}
