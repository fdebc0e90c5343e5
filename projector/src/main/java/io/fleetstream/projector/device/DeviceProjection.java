package io.fleetstream.projector.device;

import static io.fleetstream.schemas.readmodel.Tables.DEVICE;
import static io.fleetstream.schemas.readmodel.Tables.DEVICE_HISTORY;

import io.fleetstream.schemas.MalformedRecordException;
import io.fleetstream.schemas.Payloads;
import io.fleetstream.schemas.RecordRules;
import io.fleetstream.schemas.device.DeviceDecommissioned;
import io.fleetstream.schemas.device.DeviceRegistered;
import io.fleetstream.schemas.device.DeviceSettingsUpdated;
import io.fleetstream.schemas.event.EventEnvelope;
import io.fleetstream.support.notice.ChangeNotice;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The devices read model and each device's history. Idempotent per event: rows carry the version
 * (sequence) they reflect and the history is keyed by (device, sequence), so a redelivered event
 * changes nothing.
 */
@Component
public class DeviceProjection {

    private final DSLContext db;
    private final JsonMapper json;

    DeviceProjection(DSLContext db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Applies one event; returns the notice to announce, empty if it was applied before or is not ours. */
    public Optional<ChangeNotice> apply(EventEnvelope event) {
        if (!"device".equals(event.getAggregateType())) {
            return Optional.empty(); // another aggregate's
        }
        byte[] bytes = new byte[event.getPayload().remaining()];
        event.getPayload().duplicate().get(bytes);
        SpecificRecord payload = Payloads.decode(event.getType(), bytes);
        // an outside producer may have put anything on fleet.events: what breaks the contract is parked, not stored
        RecordRules.require(event);
        RecordRules.require(payload);
        UUID deviceId = UUID.fromString(event.getAggregateId());
        OffsetDateTime at = event.getOccurredAt().atOffset(ZoneOffset.UTC);
        boolean recorded = recordHistory(event, deviceId, at, payload);
        int changed;
        if (payload instanceof DeviceRegistered e) {
            changed = db.insertInto(DEVICE)
                    .set(DEVICE.DEVICE_ID, deviceId)
                    .set(DEVICE.WORKSPACE_ID, event.getWorkspaceId())
                    .set(DEVICE.NAME, e.getName())
                    .set(DEVICE.DEVICE_TYPE, e.getDeviceType())
                    .set(DEVICE.HARDWARE_ID, e.getHardwareId())
                    .set(DEVICE.SETTINGS, JSONB.valueOf(e.getSettingsJson()))
                    .set(DEVICE.STATUS, "ACTIVE")
                    .set(DEVICE.TOKEN_HASH, e.getTokenHash())
                    .set(DEVICE.VERSION, event.getSequence())
                    .set(DEVICE.REGISTERED_AT, at)
                    .set(DEVICE.UPDATED_AT, at)
                    .onConflict(DEVICE.DEVICE_ID)
                    .doNothing()
                    .execute();
        } else if (payload instanceof DeviceSettingsUpdated e) {
            changed = db.update(DEVICE)
                    .set(DEVICE.SETTINGS, JSONB.valueOf(e.getSettingsJson()))
                    .set(DEVICE.VERSION, event.getSequence())
                    .set(DEVICE.UPDATED_AT, at)
                    .where(DEVICE.DEVICE_ID.eq(deviceId), DEVICE.VERSION.lt(event.getSequence()))
                    .execute();
        } else if (payload instanceof DeviceDecommissioned) {
            changed = db.update(DEVICE)
                    .set(DEVICE.STATUS, "DECOMMISSIONED")
                    .set(DEVICE.VERSION, event.getSequence())
                    .set(DEVICE.UPDATED_AT, at)
                    .set(DEVICE.DECOMMISSIONED_AT, at)
                    .where(DEVICE.DEVICE_ID.eq(deviceId), DEVICE.VERSION.lt(event.getSequence()))
                    .execute();
        } else {
            throw new MalformedRecordException("not a device event: " + event.getType());
        }
        if (changed == 0 && !recorded) {
            return Optional.empty();
        }
        return Optional.of(new ChangeNotice(noticeType(payload), event.getWorkspaceId(), event.getAggregateId(),
                event.getSequence(), event.getOccurredAt(), publicData(payload)));
    }

    private boolean recordHistory(EventEnvelope event, UUID deviceId, OffsetDateTime at, SpecificRecord payload) {
        return db.insertInto(DEVICE_HISTORY)
                .set(DEVICE_HISTORY.DEVICE_ID, deviceId)
                .set(DEVICE_HISTORY.SEQUENCE, event.getSequence())
                .set(DEVICE_HISTORY.EVENT_ID, UUID.fromString(event.getEventId()))
                .set(DEVICE_HISTORY.WORKSPACE_ID, event.getWorkspaceId())
                .set(DEVICE_HISTORY.EVENT_TYPE, event.getType())
                .set(DEVICE_HISTORY.OCCURRED_AT, at)
                .set(DEVICE_HISTORY.ACTOR_KIND, event.getActor() == null ? null : event.getActor().getKind().name())
                .set(DEVICE_HISTORY.ACTOR_ID, event.getActor() == null ? null : event.getActor().getId())
                .set(DEVICE_HISTORY.COMMAND_ID, event.getCommandId())
                .set(DEVICE_HISTORY.DATA, JSONB.valueOf(json.writeValueAsString(publicData(payload))))
                .onConflict(DEVICE_HISTORY.DEVICE_ID, DEVICE_HISTORY.SEQUENCE)
                .doNothing()
                .execute() == 1;
    }

    private static String noticeType(SpecificRecord payload) {
        if (payload instanceof DeviceRegistered) {
            return "device.created";
        }
        return payload instanceof DeviceDecommissioned ? "device.decommissioned" : "device.updated";
    }

    /** What an event says that may be shown: never the token hash. */
    private Map<String, Object> publicData(SpecificRecord payload) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (payload instanceof DeviceRegistered e) {
            data.put("name", e.getName());
            data.put("type", e.getDeviceType());
            data.put("hardwareId", e.getHardwareId());
            data.put("settings", parse(e.getSettingsJson()));
        } else if (payload instanceof DeviceSettingsUpdated e) {
            data.put("settings", parse(e.getSettingsJson()));
            data.put("patch", parse(e.getPatchJson()));
        } else if (payload instanceof DeviceDecommissioned e) {
            data.put("reason", e.getReason());
        }
        return data;
    }

    private Object parse(String text) {
        return json.readValue(text, ObjectNode.class);
    }
}
