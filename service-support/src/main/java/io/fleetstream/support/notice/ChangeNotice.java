package io.fleetstream.support.notice;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A change to a workspace's read model, announced on Redis after the projector committed it and
 * pushed by the query service to dashboards. The same shape for every aggregate.
 *
 * @param type          {@code <aggregate>.created|updated|...}, or {@code telemetry}
 * @param workspaceId   the tenant; notices never cross workspaces
 * @param aggregateType the type of the aggregate that changed ({@code device} for telemetry too)
 * @param aggregateId   the aggregate that changed
 * @param deviceId      the device concerned, for device and telemetry notices (kept for clients of the first version)
 * @param version       the aggregate's version after the change (events), or null (telemetry)
 * @param at            when the change happened
 * @param data          what changed, as anyone who may read the aggregate may see it
 */
public record ChangeNotice(String type, String workspaceId, String aggregateType, String aggregateId,
        @Nullable String deviceId, @Nullable Long version, Instant at, Map<String, Object> data) {

    /** The notice of an event of any aggregate. */
    public static ChangeNotice of(String type, String workspaceId, String aggregateType, String aggregateId, long version,
            Instant at, Map<String, Object> data) {
        return new ChangeNotice(type, workspaceId, aggregateType, aggregateId,
                "device".equals(aggregateType) ? aggregateId : null, version, at, data);
    }

    /** The notice of a device's new telemetry: not an event, so without a version. */
    public static ChangeNotice telemetry(String workspaceId, String deviceId, Instant at, Map<String, Object> data) {
        return new ChangeNotice("telemetry", workspaceId, "device", deviceId, deviceId, null, at, data);
    }

    /** Redis channel of one workspace's notices. */
    public static String channel(String workspaceId) {
        return CHANNEL_PREFIX + workspaceId;
    }

    public static final String CHANNEL_PREFIX = "fleet:changes:";
    public static final String CHANNEL_PATTERN = CHANNEL_PREFIX + "*";
}
