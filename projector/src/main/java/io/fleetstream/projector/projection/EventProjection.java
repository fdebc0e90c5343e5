package io.fleetstream.projector.projection;

import static io.fleetstream.schemas.readmodel.Tables.AGGREGATE_EVENT;

import io.fleetstream.schemas.MalformedRecordException;
import io.fleetstream.schemas.Payloads;
import io.fleetstream.schemas.RecordRules;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.UnknownSchemaException;
import io.fleetstream.schemas.event.EventEnvelope;
import io.fleetstream.support.notice.ChangeNotice;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Table;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * A read model of some aggregate types, fed by {@code fleet.events}. What every such projection needs is
 * done here, once: each record is decoded (or dead-lettered, once) and checked against its contract;
 * events of other aggregate types are passed over; each event goes to the one handler registered for its
 * type; every event of the projection's own types is recorded in {@code aggregate_event} with what it
 * says and the aggregate's state right after it (history, audit, the state at an earlier instant, and the
 * version read-your-writes waits for); and a change notice keyed by aggregate type and id is announced
 * after the commit. A subclass registers its handlers and says how to show one aggregate's state.
 */
public abstract class EventProjection extends ProjectionConsumer {

    /** One event with its envelope, as handlers get it. */
    public record Event<T extends SpecificRecord>(EventEnvelope envelope, T payload) {

        public String aggregateId() {
            return envelope.getAggregateId();
        }

        public UUID uuid() {
            return UUID.fromString(envelope.getAggregateId());
        }

        public String workspaceId() {
            return envelope.getWorkspaceId();
        }

        public long sequence() {
            return envelope.getSequence();
        }

        public OffsetDateTime at() {
            return envelope.getOccurredAt().atOffset(ZoneOffset.UTC);
        }
    }

    /**
     * What a handler did: whether it changed the read model, the notice type to announce (such as
     * {@code device.updated}) and what the event says that anyone allowed to read the aggregate may see
     * (never a secret or its hash).
     */
    public record Change(boolean changed, String noticeType, Map<String, Object> data) {
    }

    /** Applies one event to the read model, inside the batch's transaction. */
    @FunctionalInterface
    public interface Handler<T extends SpecificRecord> {
        Change apply(Event<T> event);
    }

    private record Registered<T extends SpecificRecord>(Class<T> type, Handler<T> handler) {
        Change apply(EventEnvelope envelope, SpecificRecord payload) {
            return handler.apply(new Event<>(envelope, type.cast(payload)));
        }
    }

    private final Set<String> aggregateTypes;
    private final Map<String, Registered<?>> handlers = new HashMap<>();
    private final EventSupport events;

    /**
     * @param name           the projection's name, also its consumer group
     * @param aggregateTypes the aggregate types whose events it applies and answers for (history, versions)
     * @param ownTables      the tables it alone writes, emptied by a rebuild (with its rows of aggregate_event)
     */
    protected EventProjection(String name, Set<String> aggregateTypes, List<Table<?>> ownTables, EventSupport events) {
        // an aggregate's events build on each other: one that cannot be applied holds back the later ones
        super(name, Topics.EVENTS.name(), ownTables, Sequencing.BY_KEY, events.projection());
        this.aggregateTypes = Set.copyOf(aggregateTypes);
        this.events = events;
    }

    /** Registers the handler of one event type; every event type of the projection's aggregates needs one. */
    protected final <T extends SpecificRecord> void on(Class<T> type, Handler<T> handler) {
        if (handlers.putIfAbsent(type.getSimpleName(), new Registered<>(type, handler)) != null) {
            throw new IllegalStateException(type.getSimpleName() + " has two handlers in " + name());
        }
    }

    /** The aggregate as this read model shows it now (after the event just applied), or empty once it is gone. */
    protected abstract Optional<Object> state(Event<?> event);

    protected final DSLContext db() {
        return events.db();
    }

    public Set<String> aggregateTypes() {
        return aggregateTypes;
    }

    @KafkaListener(id = "#{__listener.name()}", topics = "fleet.events", groupId = "#{__listener.name()}", batch = "true")
    void on(List<ConsumerRecord<byte[], byte[]>> records) {
        List<ChangeNotice> changes = consume(records);
        if (announces()) {
            events.announcer().announce(changes);
        }
    }

    /** Whether its changes are pushed to the streams of their workspace; not for what belongs to no tenant. */
    protected boolean announces() {
        return true;
    }

    /** A record whose header names another aggregate type is not ours (one without the header may be). */
    @Override
    protected boolean mayConcern(ConsumerRecord<byte[], byte[]> record) {
        Header type = record.headers().lastHeader(Topics.AGGREGATE_TYPE_HEADER);
        return type == null || aggregateTypes.contains(new String(type.value(), StandardCharsets.UTF_8));
    }

    @Override
    protected final List<ChangeNotice> apply(List<ConsumerRecord<byte[], byte[]>> records, boolean replaying) {
        List<ChangeNotice> notices = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!mayConcern(record)) {
                continue; // another aggregate type's, by its header: not even decoded
            }
            EventEnvelope envelope;
            try {
                envelope = Topics.EVENTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
                if (envelope == null) {
                    throw new MalformedRecordException("empty record");
                }
            } catch (UnknownSchemaException e) {
                throw e; // an envelope from a newer version: parked until this projector is upgraded and retries it
            } catch (MalformedRecordException e) {
                if (!replaying) { // dead-lettered when it was first read
                    events.deadLetters().send(record.topic() + "/" + record.partition() + "@" + record.offset(),
                            "event.unreadable", e.getMessage(), null, null, record.value());
                }
                continue;
            }
            if (aggregateTypes.contains(envelope.getAggregateType())) {
                applyOne(envelope).ifPresent(notices::add);
            }
        }
        return notices;
    }

    private Optional<ChangeNotice> applyOne(EventEnvelope envelope) {
        byte[] bytes = new byte[envelope.getPayload().remaining()];
        envelope.getPayload().duplicate().get(bytes);
        // an event type (or version) this build does not know is parked until the projector is upgraded
        SpecificRecord payload = Payloads.decode(envelope.getType(), bytes);
        Registered<?> registered = handlers.get(envelope.getType());
        if (registered == null) {
            throw new UnknownSchemaException(name() + " has no handler for " + envelope.getType());
        }
        // an outside producer may have put anything on fleet.events: what breaks the contract is parked, not stored
        RecordRules.require(envelope);
        RecordRules.require(payload);
        Change change = registered.apply(envelope, payload);
        Optional<Object> state = state(new Event<>(envelope, payload));
        boolean recorded = db().insertInto(AGGREGATE_EVENT)
                .set(AGGREGATE_EVENT.AGGREGATE_ID, envelope.getAggregateId())
                .set(AGGREGATE_EVENT.SEQUENCE, envelope.getSequence())
                .set(AGGREGATE_EVENT.AGGREGATE_TYPE, envelope.getAggregateType())
                .set(AGGREGATE_EVENT.EVENT_ID, UUID.fromString(envelope.getEventId()))
                .set(AGGREGATE_EVENT.WORKSPACE_ID, envelope.getWorkspaceId())
                .set(AGGREGATE_EVENT.EVENT_TYPE, envelope.getType())
                .set(AGGREGATE_EVENT.OCCURRED_AT, envelope.getOccurredAt().atOffset(ZoneOffset.UTC))
                .set(AGGREGATE_EVENT.ACTOR_KIND, envelope.getActor() == null ? null : envelope.getActor().getKind().name())
                .set(AGGREGATE_EVENT.ACTOR_ID, envelope.getActor() == null ? null : envelope.getActor().getId())
                .set(AGGREGATE_EVENT.COMMAND_ID, envelope.getCommandId())
                .set(AGGREGATE_EVENT.DATA, JSONB.valueOf(events.json().writeValueAsString(change.data())))
                .set(AGGREGATE_EVENT.STATE, state.map(s -> JSONB.valueOf(events.json().writeValueAsString(s))).orElse(null))
                .onConflictDoNothing() // (aggregate, sequence) or event id seen before: a redelivery
                .execute() == 1;
        if (!change.changed() && !recorded) {
            return Optional.empty(); // applied before
        }
        return Optional.of(ChangeNotice.of(change.noticeType(), envelope.getWorkspaceId(), envelope.getAggregateType(),
                envelope.getAggregateId(), envelope.getSequence(), envelope.getOccurredAt(), change.data()));
    }

    @Override
    void clearForRebuild(DSLContext db) {
        super.clearForRebuild(db);
        db.deleteFrom(AGGREGATE_EVENT).where(AGGREGATE_EVENT.AGGREGATE_TYPE.in(aggregateTypes)).execute();
    }
}
