package io.fleetstream.command.device;

import io.fleetstream.support.errors.DeviceErrors;
import io.fleetstream.command.intake.CommandMetadata;
import io.fleetstream.command.intake.CommandRejectedException;
import io.fleetstream.schemas.device.DeviceDecommissioned;
import io.fleetstream.schemas.device.DeviceRegistered;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps a hardware id unique among a workspace's live devices. Runs in the subscribing processing group
 * "device-claims", inside the command's own transaction: a taken id rolls back the registration, and a
 * decommissioned device frees its id in the same commit that records the decommissioning.
 */
@Component
@ProcessingGroup(HardwareIdClaims.GROUP)
class HardwareIdClaims {

    static final String GROUP = "device-claims";

    private final JdbcTemplate jdbc;

    HardwareIdClaims(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(DeviceRegistered event, @MetaDataValue(CommandMetadata.WORKSPACE_ID) String workspace) {
        if (event.getHardwareId() == null) {
            return;
        }
        int claimed = jdbc.update("""
                insert into device_hardware_id (workspace_id, hardware_id, device_id) values (?, ?, ?)
                on conflict do nothing""", workspace, event.getHardwareId(), event.getDeviceId());
        if (claimed == 0) {
            throw new CommandRejectedException(DeviceErrors.HARDWARE_ID_TAKEN,
                    "Hardware id " + event.getHardwareId() + " already belongs to another device in this workspace");
        }
    }

    @EventHandler
    void on(DeviceDecommissioned event) {
        jdbc.update("delete from device_hardware_id where device_id = ?", event.getDeviceId());
    }
}
