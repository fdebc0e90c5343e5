package io.fleetstream.projector.device;

import static io.fleetstream.schemas.readmodel.Tables.DEVICE;

import io.fleetstream.projector.projection.EventProjection;
import io.fleetstream.projector.projection.EventSupport;
import io.fleetstream.schemas.device.DeviceDecommissioned;
import io.fleetstream.schemas.device.DeviceRegistered;
import io.fleetstream.schemas.device.DeviceSettingsUpdated;
import io.fleetstream.schemas.device.DeviceTeamAssigned;
import io.fleetstream.schemas.readmodel.tables.records.DeviceRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jooq.JSONB;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The devices read model. Idempotent per event: rows carry the version (sequence) they reflect, so a
 * redelivered event changes nothing.
 */
@Component
public class DeviceProjection extends EventProjection {

    public static final String NAME = "projector-devices";

    private final JsonMapper json;

    DeviceProjection(EventSupport support) {
        super(NAME, Set.of("device"), List.of(DEVICE), support);
        this.json = support.json();
        on(DeviceRegistered.class, this::registered);
        on(DeviceSettingsUpdated.class, this::settingsUpdated);
        on(DeviceDecommissioned.class, this::decommissioned);
        on(DeviceTeamAssigned.class, e -> {
            String team = e.payload().getTeamId();
            int changed = db().update(DEVICE).set(DEVICE.TEAM_ID, team == null ? null : java.util.UUID.fromString(team))
                    .set(DEVICE.VERSION, e.sequence()).set(DEVICE.UPDATED_AT, e.at())
                    .where(DEVICE.DEVICE_ID.eq(e.uuid()), DEVICE.VERSION.lt(e.sequence())).execute();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("teamId", team);
            return new Change(changed > 0, "device.updated", data);
        });
    }

    private Change registered(Event<DeviceRegistered> event) {
        DeviceRegistered e = event.payload();
        int changed = db().insertInto(DEVICE)
                .set(DEVICE.DEVICE_ID, event.uuid())
                .set(DEVICE.WORKSPACE_ID, event.workspaceId())
                .set(DEVICE.NAME, e.getName())
                .set(DEVICE.DEVICE_TYPE, e.getDeviceType())
                .set(DEVICE.HARDWARE_ID, e.getHardwareId())
                .set(DEVICE.SETTINGS, JSONB.valueOf(e.getSettingsJson()))
                .set(DEVICE.STATUS, "ACTIVE")
                .set(DEVICE.TOKEN_HASH, e.getTokenHash())
                .set(DEVICE.VERSION, event.sequence())
                .set(DEVICE.REGISTERED_AT, event.at())
                .set(DEVICE.UPDATED_AT, event.at())
                .onConflict(DEVICE.DEVICE_ID)
                .doNothing()
                .execute();
        // what may be shown: never the token hash
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", e.getName());
        data.put("type", e.getDeviceType());
        data.put("hardwareId", e.getHardwareId());
        data.put("settings", parse(e.getSettingsJson()));
        return new Change(changed > 0, "device.created", data);
    }

    private Change settingsUpdated(Event<DeviceSettingsUpdated> event) {
        int changed = db().update(DEVICE)
                .set(DEVICE.SETTINGS, JSONB.valueOf(event.payload().getSettingsJson()))
                .set(DEVICE.VERSION, event.sequence())
                .set(DEVICE.UPDATED_AT, event.at())
                .where(DEVICE.DEVICE_ID.eq(event.uuid()), DEVICE.VERSION.lt(event.sequence()))
                .execute();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("settings", parse(event.payload().getSettingsJson()));
        data.put("patch", parse(event.payload().getPatchJson()));
        return new Change(changed > 0, "device.updated", data);
    }

    private Change decommissioned(Event<DeviceDecommissioned> event) {
        int changed = db().update(DEVICE)
                .set(DEVICE.STATUS, "DECOMMISSIONED")
                .set(DEVICE.VERSION, event.sequence())
                .set(DEVICE.UPDATED_AT, event.at())
                .set(DEVICE.DECOMMISSIONED_AT, event.at())
                .where(DEVICE.DEVICE_ID.eq(event.uuid()), DEVICE.VERSION.lt(event.sequence()))
                .execute();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reason", event.payload().getReason());
        return new Change(changed > 0, "device.decommissioned", data);
    }

    /** The device as GET shows it (without its latest metrics, which are telemetry, not events). */
    @Override
    protected Optional<Object> state(Event<?> event) {
        return db().selectFrom(DEVICE).where(DEVICE.DEVICE_ID.eq(event.uuid())).fetchOptional().map(this::view);
    }

    private Object view(DeviceRecord device) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", device.getDeviceId().toString());
        view.put("name", device.getName());
        view.put("type", device.getDeviceType());
        view.put("hardwareId", device.getHardwareId());
        view.put("settings", parse(device.getSettings().data()));
        view.put("status", device.getStatus().toLowerCase(java.util.Locale.ROOT));
        view.put("teamId", device.getTeamId() == null ? null : device.getTeamId().toString());
        view.put("version", device.getVersion());
        view.put("registeredAt", device.getRegisteredAt().toInstant().toString());
        view.put("updatedAt", device.getUpdatedAt().toInstant().toString());
        view.put("decommissionedAt", device.getDecommissionedAt() == null ? null
                : device.getDecommissionedAt().toInstant().toString());
        view.values().removeIf(java.util.Objects::isNull); // as the API shows a device: absent, not null
        return view;
    }

    private Object parse(String text) {
        return json.readValue(text, ObjectNode.class);
    }
}
