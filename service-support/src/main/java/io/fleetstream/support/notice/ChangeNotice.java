package io.fleetstream.support.notice;

import java.time.Instant;
import java.util.Map;

/**
 * A change to a workspace's read model, announced on Redis after the projector committed it and
 * pushed by the query service to dashboards.
 *
 * @param type        {@code device.created}, {@code device.updated}, {@code device.decommissioned} or {@code telemetry}
 * @param workspaceId the tenant; notices never cross workspaces
 * @param deviceId    the device concerned
 * @param version     the device's version after the change (events), or null (telemetry)
 * @param at          when the change happened
 * @param data        what changed: device fields, or the latest metric values
 */
public record ChangeNotice(String type, String workspaceId, String deviceId, Long version, Instant at,
        Map<String, Object> data) {

    /** Redis channel of one workspace's notices. */
    public static String channel(String workspaceId) {
        return CHANNEL_PREFIX + workspaceId;
    }

    public static final String CHANNEL_PREFIX = "fleet:changes:";
    public static final String CHANNEL_PATTERN = CHANNEL_PREFIX + "*";
}
