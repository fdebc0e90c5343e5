package io.fleetstream.query.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A device as the API shows it. The token hash never leaves the database. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceView(
        String id,
        String name,
        String type,
        String hardwareId,
        JsonNode settings,
        String status,
        String teamId,
        long version,
        Instant registeredAt,
        Instant updatedAt,
        Instant decommissionedAt,
        Instant lastSeenAt,
        Map<String, MetricValue> metrics) {

    public record MetricValue(double value, Instant ts) {
    }
}
