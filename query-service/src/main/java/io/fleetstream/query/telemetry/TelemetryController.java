package io.fleetstream.query.telemetry;

import io.fleetstream.support.errors.DeviceErrors;
import static io.fleetstream.schemas.readmodel.Tables.TELEMETRY_POINT;

import io.fleetstream.query.device.DeviceAccess;
import io.fleetstream.schemas.readmodel.tables.records.DeviceRecord;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.WorkspaceRoute;
import io.fleetstream.support.web.FleetException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Telemetry")
class TelemetryController {

    private static final int MAX_POINTS = 10_000;
    /** What a stored timestamp can be: PostgreSQL's range is wider, but no device reports outside this. */
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    /** The names a device may report (TelemetryParser in the gateway): anything else matches nothing. */
    private static final Pattern METRIC = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}");

    private final DeviceAccess devices;
    private final DSLContext db;

    TelemetryController(DeviceAccess devices, DSLContext db) {
        this.devices = devices;
        this.db = db;
    }

    /** The points of one device in a time range, oldest first. */
    record TelemetryPage(String deviceId, String metric, Instant from, Instant to, List<TelemetryPointView> points,
            boolean truncated) {
    }

    @GetMapping("/v1/workspaces/{workspace}/devices/{id}/telemetry")
    @WorkspaceRoute(scope = "telemetry:read")
    @Operation(summary = "A device's metric points in a time range")
    TelemetryPage telemetry(Grant grant, @PathVariable String id,
            @Parameter(description = "one metric; all metrics when absent") @RequestParam(required = false) String metric,
            @Parameter(description = "ISO-8601 instant, default one hour before 'to'",
                    schema = @Schema(type = "string", format = "date-time")) @RequestParam(required = false) String from,
            @Parameter(description = "ISO-8601 instant, default now",
                    schema = @Schema(type = "string", format = "date-time")) @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "1000") int limit) {
        DeviceRecord device = devices.live(grant, id);
        if (limit < 1 || limit > MAX_POINTS) {
            throw new FleetException(DeviceErrors.BAD_QUERY, "limit must be between 1 and " + MAX_POINTS);
        }
        if (metric != null && !METRIC.matcher(metric).matches()) {
            throw new FleetException(DeviceErrors.BAD_QUERY,
                    "metric must be 1-64 letters, digits, '_', '.', ':' or '-', starting with a letter, digit or '_'");
        }
        Instant end = to == null ? Instant.now() : instant("to", to);
        Instant start = from == null ? end.minus(Duration.ofHours(1)) : instant("from", from);
        if (start.isAfter(end)) {
            throw new FleetException(DeviceErrors.BAD_QUERY, "from must not be after to");
        }
        Condition where = TELEMETRY_POINT.DEVICE_ID.eq(device.getDeviceId())
                .and(TELEMETRY_POINT.TS.between(start.atOffset(ZoneOffset.UTC), end.atOffset(ZoneOffset.UTC)));
        if (metric != null) {
            where = where.and(TELEMETRY_POINT.METRIC.eq(metric));
        }
        List<TelemetryPointView> points = db.selectFrom(TELEMETRY_POINT).where(where)
                .orderBy(TELEMETRY_POINT.TS, TELEMETRY_POINT.METRIC)
                .limit(DSL.inline(limit + 1))
                .fetch(p -> new TelemetryPointView(p.getMetric(), p.getTs().toInstant(), p.getValue()));
        boolean truncated = points.size() > limit;
        return new TelemetryPage(id, metric, start, end, truncated ? points.subList(0, limit) : points, truncated);
    }

    private static Instant instant(String name, String value) {
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new FleetException(DeviceErrors.BAD_QUERY, name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new FleetException(DeviceErrors.BAD_QUERY, name + " must lie between " + EARLIEST + " and " + LATEST);
        }
        return instant;
    }
}
