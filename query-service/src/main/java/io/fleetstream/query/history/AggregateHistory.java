package io.fleetstream.query.history;

import static io.fleetstream.schemas.readmodel.Tables.AGGREGATE_EVENT;
import static io.fleetstream.schemas.readmodel.Tables.PARKED_RECORD;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every aggregate's events as the projections recorded them ({@code aggregate_event}), always within one
 * workspace: its history, its state at an earlier instant, and the version its read model has reached.
 * The same for every aggregate type; nothing here knows one.
 */
@Repository
public class AggregateHistory {

    /** An aggregate's state right after its last event at or before some instant. */
    public record StateAt(long version, Instant since, JsonNode state) {
    }

    private final DSLContext db;
    private final JsonMapper json;

    AggregateHistory(DSLContext db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Whether the workspace has (or had) this aggregate. */
    public boolean exists(String workspaceId, String aggregateType, String aggregateId) {
        return db.fetchExists(db.selectOne().from(AGGREGATE_EVENT).where(AGGREGATE_EVENT.AGGREGATE_ID.eq(aggregateId),
                AGGREGATE_EVENT.AGGREGATE_TYPE.eq(aggregateType), AGGREGATE_EVENT.WORKSPACE_ID.eq(workspaceId)));
    }

    /** The aggregate's events after a sequence, in order; empty when the workspace never had it. */
    public Optional<List<HistoryEntry>> events(String workspaceId, String aggregateType, String aggregateId,
            long afterSequence, int limit) {
        if (!exists(workspaceId, aggregateType, aggregateId)) {
            return Optional.empty();
        }
        return Optional.of(db.selectFrom(AGGREGATE_EVENT)
                .where(AGGREGATE_EVENT.AGGREGATE_ID.eq(aggregateId), AGGREGATE_EVENT.AGGREGATE_TYPE.eq(aggregateType),
                        AGGREGATE_EVENT.WORKSPACE_ID.eq(workspaceId), AGGREGATE_EVENT.SEQUENCE.gt(afterSequence))
                .orderBy(AGGREGATE_EVENT.SEQUENCE)
                .limit(limit)
                .fetch(h -> new HistoryEntry(h.getSequence(), h.getEventType(), h.getOccurredAt().toInstant(),
                        h.getActorKind(), h.getActorId(), h.getCommandId(), parse(h.getData()))));
    }

    /**
     * The state after the aggregate's last event at or before the instant: empty when it did not exist yet
     * (or never in this workspace); a null state for an event recorded before states were kept.
     */
    public Optional<StateAt> stateAt(String workspaceId, String aggregateType, String aggregateId, Instant at) {
        return db.select(AGGREGATE_EVENT.SEQUENCE, AGGREGATE_EVENT.OCCURRED_AT, AGGREGATE_EVENT.STATE)
                .from(AGGREGATE_EVENT)
                .where(AGGREGATE_EVENT.AGGREGATE_ID.eq(aggregateId), AGGREGATE_EVENT.AGGREGATE_TYPE.eq(aggregateType),
                        AGGREGATE_EVENT.WORKSPACE_ID.eq(workspaceId),
                        AGGREGATE_EVENT.OCCURRED_AT.le(at.atOffset(ZoneOffset.UTC)))
                .orderBy(AGGREGATE_EVENT.SEQUENCE.desc())
                .limit(1)
                .fetchOptional(r -> new StateAt(r.value1(), r.value2().toInstant(), parse(r.value3())));
    }

    /** The version the read model has reached for an aggregate of the workspace; empty if it has none (yet). */
    public Optional<Long> version(String workspaceId, String aggregateType, String aggregateId) {
        return Optional.ofNullable(db.select(DSL.max(AGGREGATE_EVENT.SEQUENCE)).from(AGGREGATE_EVENT)
                .where(AGGREGATE_EVENT.AGGREGATE_ID.eq(aggregateId), AGGREGATE_EVENT.AGGREGATE_TYPE.eq(aggregateType),
                        AGGREGATE_EVENT.WORKSPACE_ID.eq(workspaceId))
                .fetchOne(0, Long.class));
    }

    /** Whether a projection parked events of the aggregate (see the projector's parked records). */
    public boolean hasParkedEvents(String aggregateId) {
        return db.fetchExists(db.selectOne().from(PARKED_RECORD).where(
                PARKED_RECORD.RECORD_KEY.eq(aggregateId.getBytes(StandardCharsets.UTF_8)),
                PARKED_RECORD.TOPIC.eq("fleet.events"), PARKED_RECORD.SKIPPED.isFalse()));
    }

    private JsonNode parse(JSONB value) {
        return value == null ? null : json.readTree(value.data());
    }
}
