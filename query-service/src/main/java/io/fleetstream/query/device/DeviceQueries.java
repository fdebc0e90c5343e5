package io.fleetstream.query.device;

import io.fleetstream.support.errors.DeviceErrors;
import static io.fleetstream.schemas.readmodel.Tables.DEVICE;
import static io.fleetstream.schemas.readmodel.Tables.TEAM;
import static io.fleetstream.schemas.readmodel.Tables.DEVICE_ACTIVITY;
import static io.fleetstream.schemas.readmodel.Tables.LATEST_METRIC;

import io.fleetstream.schemas.readmodel.tables.records.DeviceRecord;
import io.fleetstream.support.web.ClientText;
import io.fleetstream.support.web.FleetException;
import io.fleetstream.support.web.StrictDecoding;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads of the devices read model, always within one workspace. */
@Repository
public class DeviceQueries {

    public enum StatusFilter { ACTIVE, DECOMMISSIONED, ALL }

    private final DSLContext db;
    private final JsonMapper json;

    DeviceQueries(DSLContext db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    public Optional<DeviceRecord> find(String workspaceId, UUID deviceId) {
        return db.selectFrom(DEVICE)
                .where(DEVICE.DEVICE_ID.eq(deviceId), DEVICE.WORKSPACE_ID.eq(workspaceId))
                .fetchOptional();
    }

    public DeviceView withMetrics(DeviceRecord device) {
        Map<String, DeviceView.MetricValue> metrics = new LinkedHashMap<>();
        db.selectFrom(LATEST_METRIC).where(LATEST_METRIC.DEVICE_ID.eq(device.getDeviceId()))
                .orderBy(LATEST_METRIC.METRIC)
                .forEach(m -> metrics.put(m.getMetric(), new DeviceView.MetricValue(m.getValue(), m.getTs().toInstant())));
        OffsetDateTime lastSeen = db.select(DEVICE_ACTIVITY.LAST_SEEN_AT).from(DEVICE_ACTIVITY)
                .where(DEVICE_ACTIVITY.DEVICE_ID.eq(device.getDeviceId()))
                .fetchOptional(DEVICE_ACTIVITY.LAST_SEEN_AT).orElse(null);
        return view(device, lastSeen, metrics, teamOf(device));
    }

    public DevicePage list(String workspaceId, StatusFilter status, String type, String namePrefix, UUID team,
            String cursor, int limit) {
        List<Condition> where = new ArrayList<>();
        where.add(DEVICE.WORKSPACE_ID.eq(workspaceId));
        if (status != StatusFilter.ALL) {
            where.add(DEVICE.STATUS.eq(status.name()));
        }
        if (type != null) {
            where.add(DEVICE.DEVICE_TYPE.eq(type));
        }
        if (namePrefix != null) {
            where.add(DEVICE.NAME.startsWith(namePrefix));
        }
        if (team != null) {
            where.add(DEVICE.TEAM_ID.eq(team));
        }
        if (cursor != null) {
            Cursor after = Cursor.decode(cursor);
            where.add(DSL.row(DEVICE.NAME, DEVICE.DEVICE_ID).gt(after.name(), after.id()));
        }
        List<DeviceView> rows = db.select(DEVICE.fields()).select(DEVICE_ACTIVITY.LAST_SEEN_AT, TEAM.TEAM_ID)
                .from(DEVICE).leftJoin(DEVICE_ACTIVITY).on(DEVICE_ACTIVITY.DEVICE_ID.eq(DEVICE.DEVICE_ID))
                .leftJoin(TEAM).on(TEAM.TEAM_ID.eq(DEVICE.TEAM_ID))
                .where(where)
                .orderBy(DEVICE.NAME, DEVICE.DEVICE_ID)
                .limit(limit + 1)
                .fetch(r -> view(r.into(DEVICE), r.get(DEVICE_ACTIVITY.LAST_SEEN_AT), null,
                        r.get(TEAM.TEAM_ID) == null ? null : r.get(TEAM.TEAM_ID).toString()));
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            DeviceView last = rows.get(limit - 1);
            next = new Cursor(last.name(), UUID.fromString(last.id())).encode();
        }
        return new DevicePage(rows, next);
    }

    private DeviceView view(DeviceRecord r, OffsetDateTime lastSeen, Map<String, DeviceView.MetricValue> metrics,
            String teamId) {
        return new DeviceView(r.getDeviceId().toString(), r.getName(), r.getDeviceType(), r.getHardwareId(),
                parse(r.getSettings()), r.getStatus().toLowerCase(), teamId, r.getVersion(), instant(r.getRegisteredAt()),
                instant(r.getUpdatedAt()), instant(r.getDecommissionedAt()), instant(lastSeen), metrics);
    }

    /** The device's team, while the team exists (a deleted team's devices belong to none). */
    private String teamOf(DeviceRecord r) {
        return r.getTeamId() == null || !db.fetchExists(TEAM, TEAM.TEAM_ID.eq(r.getTeamId())) ? null : r.getTeamId().toString();
    }

    private JsonNode parse(JSONB value) {
        return value == null ? null : json.readTree(value.data());
    }

    private static java.time.Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    /** Keyset position: the (name, id) of the last device on the previous page, opaque to clients. */
    record Cursor(String name, UUID id) {

        /** Names are at most 200 characters (the gateway's registration rule). */
        private static final int MAX_NAME = 200;
        /** Base64 of a UUID, ':' and a name of 200 characters of up to 4 bytes each. */
        private static final int MAX_ENCODED = 4 * (37 + 4 * MAX_NAME + 2) / 3;

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((id + ":" + name).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String value) {
            // a cursor is the caller's input like any other: it must be one this API made, or nothing reaches the database
            if (value.length() > MAX_ENCODED) {
                throw invalid();
            }
            String text;
            try {
                text = StrictDecoding.utf8(Base64.getUrlDecoder().decode(value));
            } catch (IllegalArgumentException | StrictDecoding.MalformedException e) {
                throw invalid();
            }
            int colon = text.indexOf(':');
            if (colon != 36) {
                throw invalid();
            }
            String name = text.substring(colon + 1);
            UUID id;
            try {
                id = UUID.fromString(text.substring(0, colon));
            } catch (IllegalArgumentException e) {
                throw invalid();
            }
            if (!id.toString().equalsIgnoreCase(text.substring(0, colon)) || name.isEmpty()
                    || name.codePointCount(0, name.length()) > MAX_NAME || ClientText.firstControlOrSurrogate(name) >= 0) {
                throw invalid();
            }
            return new Cursor(name, id);
        }

        private static FleetException invalid() {
            return new FleetException(DeviceErrors.BAD_QUERY, "cursor is not one this API returned");
        }
    }
}
