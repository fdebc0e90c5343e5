package io.fleetstream.gateway.device;

import io.fleetstream.support.errors.DeviceErrors;
import io.fleetstream.gateway.command.CommandBus;
import io.fleetstream.schemas.ConsistencyToken;
import io.fleetstream.schemas.device.DecommissionDevice;
import io.fleetstream.schemas.device.RegisterDevice;
import io.fleetstream.schemas.device.UpdateDeviceSettings;
import io.fleetstream.support.security.Caller;
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
@RequestMapping("/v1/devices")
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
    CompletableFuture<ResponseEntity<RegisteredDevice>> register(Caller caller,
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
        return commands.send(caller, command).thenApply(accepted -> ResponseEntity
                .created(URI.create("/v1/devices/" + id))
                .header(ConsistencyToken.HEADER, accepted.consistency().toString())
                .body(new RegisteredDevice(id.toString(), command.getName(), command.getDeviceType(),
                        command.getHardwareId(), json.readTree(settings), "active", accepted.consistency().version(),
                        token)));
    }

    @PatchMapping(path = "/{id}/settings", consumes = {"application/merge-patch+json", "application/json"})
    @Operation(summary = "Change a device's settings with a JSON merge patch (RFC 7396)",
            description = "A null member removes that setting. Answers the device's new version.")
    CompletableFuture<ResponseEntity<Map<String, Object>>> updateSettings(Caller caller, @PathVariable String id,
            @RequestBody JsonNode patch) {
        UUID deviceId = parseId(id);
        UpdateDeviceSettings command = UpdateDeviceSettings.newBuilder()
                .setDeviceId(deviceId.toString())
                .setPatchJson(settingsText(patch))
                .build();
        return commands.send(caller, command).thenApply(accepted -> ResponseEntity.ok()
                .header(ConsistencyToken.HEADER, accepted.consistency().toString())
                .body(Map.<String, Object>of("id", id, "version", accepted.consistency().version())));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Decommission a device", description = "Its token stops working; its history stays readable.")
    CompletableFuture<ResponseEntity<Void>> decommission(Caller caller, @PathVariable String id) {
        UUID deviceId = parseId(id);
        DecommissionDevice command = DecommissionDevice.newBuilder().setDeviceId(deviceId.toString()).setReason(null).build();
        return commands.send(caller, command).thenApply(accepted -> {
            revocations.revokeNow(deviceId.toString());
            return accepted;
        }).thenApply(accepted -> ResponseEntity.noContent()
                .header(ConsistencyToken.HEADER, accepted.consistency().toString())
                .<Void>build());
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
