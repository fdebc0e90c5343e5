package io.fleetstream.command.device;

import io.fleetstream.support.errors.DeviceErrors;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.fleetstream.command.intake.CommandRejectedException;
import io.fleetstream.command.intake.CommandTargets;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.schemas.device.DecommissionDevice;
import io.fleetstream.schemas.device.DeviceDecommissioned;
import io.fleetstream.schemas.device.DeviceRegistered;
import io.fleetstream.schemas.device.DeviceSettingsUpdated;
import io.fleetstream.schemas.device.RegisterDevice;
import io.fleetstream.schemas.device.UpdateDeviceSettings;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import io.fleetstream.command.access.Memberships;
import io.fleetstream.command.intake.CommandMetadata;
import io.fleetstream.schemas.device.AssignDeviceTeam;
import io.fleetstream.schemas.device.DeviceTeamAssigned;
import io.fleetstream.support.errors.TeamErrors;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A device's lifecycle: registered, its settings changed, decommissioned. That a command may reach
 * only the devices of its own workspace is checked for every aggregate by the intake's guard.
 */
@Aggregate(type = "device", commandTargetResolver = CommandTargets.BEAN, cache = CommandTargets.CACHE)
class Device {

    @AggregateIdentifier
    private String deviceId;
    private String settingsJson;
    private boolean decommissioned;
    private String teamId;

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
    void handle(UpdateDeviceSettings command) {
        requireLive();
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
    void handle(AssignDeviceTeam command, Memberships memberships,
            @MetaDataValue(CommandMetadata.WORKSPACE_ID) String workspaceId) {
        requireLive();
        String team = command.getTeamId();
        if (team != null && !memberships.isLiveTeam(team, workspaceId)) {
            throw new CommandRejectedException(TeamErrors.NOT_FOUND, "No team " + team + " in this workspace");
        }
        if (!java.util.Objects.equals(team, teamId)) {
            apply(DeviceTeamAssigned.newBuilder().setDeviceId(deviceId).setTeamId(team).build());
        }
    }

    @CommandHandler
    void handle(DecommissionDevice command, @MetaDataValue(CommandMetadata.ACTOR_KIND) String actorKind) {
        if (decommissioned && ActorKind.SYSTEM.name().equals(actorKind)) {
            return; // the platform's own sweeps (a deleted workspace's devices) find it done: nothing to do
        }
        requireLive();
        apply(DeviceDecommissioned.newBuilder().setDeviceId(deviceId).setReason(command.getReason()).build());
    }

    private void requireLive() {
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
    void on(DeviceRegistered event) {
        this.deviceId = event.getDeviceId();
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

    @EventSourcingHandler
    void on(DeviceTeamAssigned event) {
        teamId = event.getTeamId();
    }
}
