package io.fleetstream.query.history;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** One event in an aggregate's history. */
public record HistoryEntry(long sequence, String type, Instant occurredAt, String actorKind, String actorId,
        String commandId, JsonNode data) {
}
