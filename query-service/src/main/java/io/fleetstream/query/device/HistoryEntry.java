package io.fleetstream.query.device;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** One event in a device's history. */
public record HistoryEntry(long sequence, String type, Instant occurredAt, String actorKind, String actorId,
        String commandId, JsonNode data) {
}
