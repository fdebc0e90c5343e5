package io.fleetstream.gateway.telemetry;

import io.fleetstream.gateway.device.AuthenticatedDevice;
import io.fleetstream.schemas.telemetry.TelemetryBatch;
import io.fleetstream.schemas.telemetry.TelemetryPoint;
import io.fleetstream.schemas.telemetry.TelemetrySource;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import io.fleetstream.schemas.Text;
import io.fleetstream.support.web.JsonReadErrors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the device telemetry format {@code {"ts": <epoch ms, optional>, "metrics": {"<name>": <number>, …}}}
 * and heartbeats (empty, or any JSON object). Everything a device sends is checked: size, shape, metric
 * names, finite values, and a timestamp that is neither in the far past nor in the future.
 */
public final class TelemetryParser {

    public static final int MAX_BYTES = 64 * 1024;
    public static final int MAX_METRICS = 200;
    private static final Pattern METRIC_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}");
    private static final Duration MAX_AGE = Duration.ofDays(30);
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);

    /** A repeated key (a metric sent twice) is refused, not decided by which came last. */
    private final JsonMapper json = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private final Clock clock;

    public TelemetryParser(Clock clock) {
        this.clock = clock;
    }

    public TelemetryBatch telemetry(AuthenticatedDevice device, @Nullable String stationId, TelemetrySource source,
            byte[] payload) {
        Instant now = clock.instant();
        JsonNode root = object(payload, true);
        Instant ts = now;
        JsonNode tsNode = root.get("ts");
        if (tsNode != null && !tsNode.isNull()) {
            if (!tsNode.canConvertToExactIntegral() || !tsNode.canConvertToLong()) {
                throw new InvalidTelemetryException("'ts' must be epoch milliseconds as an integer");
            }
            ts = Instant.ofEpochMilli(tsNode.longValue());
            if (ts.isBefore(now.minus(MAX_AGE)) || ts.isAfter(now.plus(MAX_SKEW))) {
                throw new InvalidTelemetryException("'ts' must lie within the last 30 days and not in the future");
            }
        }
        JsonNode metrics = root.get("metrics");
        if (metrics == null || !metrics.isObject() || metrics.isEmpty()) {
            throw new InvalidTelemetryException("'metrics' must be a non-empty object of name: number");
        }
        if (metrics.size() > MAX_METRICS) {
            throw new InvalidTelemetryException("at most " + MAX_METRICS + " metrics per message");
        }
        List<TelemetryPoint> points = new ArrayList<>(metrics.size());
        for (Map.Entry<String, JsonNode> metric : metrics.properties()) {
            if (!METRIC_NAME.matcher(metric.getKey()).matches()) {
                throw new InvalidTelemetryException("metric name '" + Text.printable(metric.getKey(), 70)
                        + "' must be 1-64 letters, digits, '_', '.', ':' or '-'");
            }
            JsonNode value = metric.getValue();
            if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                throw new InvalidTelemetryException("metric '" + metric.getKey() + "' must be a finite number");
            }
            points.add(TelemetryPoint.newBuilder().setMetric(metric.getKey()).setTimestamp(ts)
                    .setValue(value.doubleValue()).build());
        }
        return batch(device, stationId, source, now, points);
    }

    /** A heartbeat: no points, only proof of life. */
    public TelemetryBatch heartbeat(AuthenticatedDevice device, @Nullable String stationId, TelemetrySource source,
            byte[] payload) {
        if (payload.length > 0) {
            object(payload, false);
        }
        return batch(device, stationId, source, clock.instant(), List.of());
    }

    private JsonNode object(byte[] payload, boolean required) {
        if (payload.length > MAX_BYTES) {
            throw new InvalidTelemetryException("payload larger than " + MAX_BYTES + " bytes");
        }
        if (payload.length == 0 && required) {
            throw new InvalidTelemetryException("empty payload");
        }
        String text;
        try {
            // strictly: the JSON parser lets overlong forms (C0 80 for NUL) through in names
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidTelemetryException("payload is not valid UTF-8");
        }
        try {
            JsonNode root = json.readTree(text);
            if (root == null || !root.isObject()) {
                throw new InvalidTelemetryException("payload must be a JSON object");
            }
            return root;
        } catch (JacksonException e) {
            throw new InvalidTelemetryException("payload: " + JsonReadErrors.describe(e));
        }
    }

    private static TelemetryBatch batch(AuthenticatedDevice device, @Nullable String stationId, TelemetrySource source,
            Instant receivedAt, List<TelemetryPoint> points) {
        return TelemetryBatch.newBuilder()
                .setWorkspaceId(device.workspaceId())
                .setDeviceId(device.deviceId())
                .setStationId(stationId)
                .setSource(source)
                .setReceivedAt(receivedAt)
                .setPoints(points)
                .build();
    }
}
