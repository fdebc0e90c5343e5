package io.fleetstream.projector.telemetry;

import static io.fleetstream.schemas.readmodel.Tables.DEVICE_ACTIVITY;
import static io.fleetstream.schemas.readmodel.Tables.LATEST_METRIC;
import static io.fleetstream.schemas.readmodel.Tables.TELEMETRY_POINT;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.greatest;

import io.fleetstream.schemas.telemetry.TelemetryBatch;
import io.fleetstream.schemas.telemetry.TelemetryPoint;
import io.fleetstream.support.notice.ChangeNotice;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep2;
import org.jooq.InsertValuesStep4;
import org.jooq.Query;
import io.fleetstream.schemas.readmodel.tables.records.DeviceActivityRecord;
import io.fleetstream.schemas.readmodel.tables.records.LatestMetricRecord;
import io.fleetstream.schemas.readmodel.tables.records.TelemetryPointRecord;
import org.springframework.stereotype.Component;

/**
 * Time series of metric points, the latest value per device and metric, and each device's last-seen
 * time, written in a few multi-row statements per consumed batch. Points are keyed by (device, metric,
 * timestamp), so a redelivered batch inserts nothing new.
 */
@Component
public class TelemetryProjection {

    private final DSLContext db;

    TelemetryProjection(DSLContext db) {
        this.db = db;
    }

    /** Applies batches of several devices; returns one notice per device with its newest values. */
    public List<ChangeNotice> apply(List<TelemetryBatch> batches) {
        if (batches.isEmpty()) {
            return List.of();
        }
        InsertValuesStep4<TelemetryPointRecord, UUID, String, OffsetDateTime, Double> points =
                db.insertInto(TELEMETRY_POINT, TELEMETRY_POINT.DEVICE_ID, TELEMETRY_POINT.METRIC, TELEMETRY_POINT.TS,
                        TELEMETRY_POINT.VALUE);
        Map<String, DeviceActivity> activity = new LinkedHashMap<>();
        int pointCount = 0;
        for (TelemetryBatch batch : batches) {
            UUID deviceId = UUID.fromString(batch.getDeviceId());
            DeviceActivity device = activity.computeIfAbsent(batch.getDeviceId(),
                    id -> new DeviceActivity(deviceId, batch.getWorkspaceId()));
            device.seen(batch.getReceivedAt());
            for (TelemetryPoint point : batch.getPoints()) {
                points = points.values(deviceId, point.getMetric(), utc(point.getTimestamp()), point.getValue());
                device.offer(point);
                pointCount++;
            }
        }
        List<Query> statements = new ArrayList<>();
        if (pointCount > 0) {
            statements.add(points.onConflictDoNothing());
            statements.add(latestValues(activity));
        }
        statements.add(lastSeen(activity));
        db.batch(statements).execute();
        return activity.values().stream().map(DeviceActivity::notice).toList();
    }

    private Query lastSeen(Map<String, DeviceActivity> activity) {
        InsertValuesStep2<DeviceActivityRecord, UUID, OffsetDateTime> seen =
                db.insertInto(DEVICE_ACTIVITY, DEVICE_ACTIVITY.DEVICE_ID, DEVICE_ACTIVITY.LAST_SEEN_AT);
        for (DeviceActivity device : activity.values()) {
            seen = seen.values(device.deviceId, utc(device.lastSeen));
        }
        return seen.onConflict(DEVICE_ACTIVITY.DEVICE_ID)
                .doUpdate()
                .set(DEVICE_ACTIVITY.LAST_SEEN_AT,
                        greatest(DEVICE_ACTIVITY.LAST_SEEN_AT, excluded(DEVICE_ACTIVITY.LAST_SEEN_AT)));
    }

    private Query latestValues(Map<String, DeviceActivity> activity) {
        InsertValuesStep4<LatestMetricRecord, UUID, String, OffsetDateTime, Double> latest =
                db.insertInto(LATEST_METRIC, LATEST_METRIC.DEVICE_ID, LATEST_METRIC.METRIC, LATEST_METRIC.TS,
                        LATEST_METRIC.VALUE);
        for (DeviceActivity device : activity.values()) {
            for (TelemetryPoint point : device.latest.values()) {
                latest = latest.values(device.deviceId, point.getMetric(), utc(point.getTimestamp()), point.getValue());
            }
        }
        return latest.onConflict(LATEST_METRIC.DEVICE_ID, LATEST_METRIC.METRIC)
                .doUpdate()
                .set(LATEST_METRIC.TS, excluded(LATEST_METRIC.TS))
                .set(LATEST_METRIC.VALUE, excluded(LATEST_METRIC.VALUE))
                .where(LATEST_METRIC.TS.le(excluded(LATEST_METRIC.TS)));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** What one device sent within a consumed batch. */
    private static final class DeviceActivity {
        private final UUID deviceId;
        private final String workspaceId;
        private final Map<String, TelemetryPoint> latest = new LinkedHashMap<>();
        private Instant lastSeen = Instant.EPOCH;

        DeviceActivity(UUID deviceId, String workspaceId) {
            this.deviceId = deviceId;
            this.workspaceId = workspaceId;
        }

        void seen(Instant at) {
            if (at.isAfter(lastSeen)) {
                lastSeen = at;
            }
        }

        void offer(TelemetryPoint point) {
            latest.merge(point.getMetric(), point,
                    (old, candidate) -> candidate.getTimestamp().isBefore(old.getTimestamp()) ? old : candidate);
        }

        ChangeNotice notice() {
            Map<String, Object> metrics = new LinkedHashMap<>();
            latest.values().forEach(p -> metrics.put(p.getMetric(),
                    Map.of("value", p.getValue(), "ts", p.getTimestamp().toString())));
            return ChangeNotice.telemetry(workspaceId, deviceId.toString(), lastSeen, Map.of("lastSeenAt", lastSeen.toString(), "metrics", metrics));
        }
    }
}
