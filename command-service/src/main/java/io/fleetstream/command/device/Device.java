package io.fleetstream.command.device;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.fleetstream.command.intake.CommandMetadata;
import io.fleetstream.command.intake.CommandRejectedException;
import io.fleetstream.schemas.device.DecommissionDevice;
import io.fleetstream.schemas.device.DeviceDecommissioned;
import io.fleetstream.schemas.device.DeviceRegistered;
import io.fleetstream.schemas.device.DeviceSettingsUpdated;
import io.fleetstream.schemas.device.RegisterDevice;
import io.fleetstream.schemas.device.UpdateDeviceSettings;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A device's lifecycle: registered, its settings changed, decommissioned. A device belongs to one
 * workspace; a command from another workspace is answered as if the device did not exist.
 */
@Aggregate(type = "device", commandTargetResolver = "deviceTargetResolver")
class Device {

    @AggregateIdentifier
    private String deviceId;
    private String workspaceId;
    private String settingsJson;
    private boolean decommissioned;

    protected Device() {
        // for Axon's event sourcing
    }

    @CommandHandler
    Device(RegisterDevice command) {
        requireText(command.getName(), "name", 200);
        requireText(command.getDeviceType(), "type", 64);
        if (command.getHardwareId() != null) {
            requireText(command.getHardwareId(), "hardwareId", 128);
        }
        if (!command.getTokenHash().matches("[0-9a-f]{64}")) {
            throw new CommandRejectedException(DeviceErrors.INVALID, "tokenHash must be a hex SHA-256");
        }
        apply(DeviceRegistered.newBuilder()
                .setDeviceId(command.getDeviceId())
                .setName(command.getName())
                .setDeviceType(command.getDeviceType())
                .setHardwareId(command.getHardwareId())
                .setSettingsJson(SettingsMerge.canonical(command.getSettingsJson()))
                .setTokenHash(command.getTokenHash())
                .build());
    }

    @CommandHandler
    void handle(UpdateDeviceSettings command, @MetaDataValue(CommandMetadata.WORKSPACE_ID) String workspace) {
        requireLiveIn(workspace);
        String merged = SettingsMerge.apply(settingsJson, command.getPatchJson());
        if (merged.equals(settingsJson)) {
            return; // nothing changed: no event, the version stays
        }
        apply(DeviceSettingsUpdated.newBuilder()
                .setDeviceId(deviceId)
                .setSettingsJson(merged)
                .setPatchJson(command.getPatchJson())
                .build());
    }

    @CommandHandler
    void handle(DecommissionDevice command, @MetaDataValue(CommandMetadata.WORKSPACE_ID) String workspace) {
        requireLiveIn(workspace);
        apply(DeviceDecommissioned.newBuilder().setDeviceId(deviceId).setReason(command.getReason()).build());
    }

    private void requireLiveIn(String workspace) {
        if (!workspaceId.equals(workspace)) {
            throw new CommandRejectedException(DeviceErrors.NOT_FOUND, "No device " + deviceId + " in this workspace");
        }
        if (decommissioned) {
            throw new CommandRejectedException(DeviceErrors.DECOMMISSIONED, "Device " + deviceId + " is decommissioned");
        }
    }

    private static void requireText(String value, String field, int maxLength) {
        if (value == null || value.isBlank() || value.length() > maxLength) {
            throw new CommandRejectedException(DeviceErrors.INVALID,
                    field + " must be 1 to " + maxLength + " characters");
        }
    }

    @EventSourcingHandler
    void on(DeviceRegistered event, @MetaDataValue(CommandMetadata.WORKSPACE_ID) String workspace) {
        this.deviceId = event.getDeviceId();
        this.workspaceId = workspace;
        this.settingsJson = event.getSettingsJson();
    }

    @EventSourcingHandler
    void on(DeviceSettingsUpdated event) {
        this.settingsJson = event.getSettingsJson();
    }

    @EventSourcingHandler
    void on(DeviceDecommissioned event) {
        this.decommissioned = true;
    }
}
