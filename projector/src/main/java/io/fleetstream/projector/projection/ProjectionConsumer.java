package io.fleetstream.projector.projection;

import io.fleetstream.support.kafka.Failures;
import io.fleetstream.support.notice.ChangeNotice;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jooq.DSLContext;
import org.jooq.Table;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.AbstractConsumerSeekAware;
import org.springframework.transaction.TransactionStatus;

/**
 * Base of every projection fed by Kafka: on assignment it seeks to the positions stored in the
 * database; each batch is applied and the new positions stored in one transaction; records before a
 * stored position (a redelivery) are skipped. Kafka's own committed offsets only show lag.
 *
 * <p>One record that cannot be applied never stops the projection. When the database refuses a batch for
 * what it holds (not because it is away, see {@link Failures}), the batch is applied again record by
 * record, each behind a savepoint: the records that fail are parked ({@link ParkedRecords}) with their
 * error, logged once at ERROR and counted, and — for a projection {@link Sequencing#BY_KEY sequenced by
 * key} — every later record of the same key (aggregate) is parked behind them, so that an aggregate's
 * records are never applied out of order. Every other key goes on. An operator retries or skips what is
 * parked ({@link ParkedRetries}).
 *
 * <p>A projection whose topic is kept forever names the tables it alone writes; {@link Rebuilds} can then
 * rebuild it from the first record.
 */
public abstract class ProjectionConsumer extends AbstractConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(ProjectionConsumer.class);

    /** Whether the order of a key's records matters to a projection. */
    public enum Sequencing {
        /** Each record of a key builds on the ones before (events of an aggregate): a parked one holds back the rest. */
        BY_KEY,
        /** Records are independent of each other (telemetry points): a parked one holds back nothing. */
        NONE
    }

    private final String name;
    private final String topic;
    private final List<Table<?>> ownTables;
    private final Sequencing sequencing;
    private final ProjectionSupport support;

    /**
     * @param name       the projection's name, also its consumer group and listener id
     * @param topic      the topic it reads
     * @param ownTables  the tables it alone writes, emptied by a rebuild; none if it cannot be rebuilt
     *                   because its topic is not kept forever
     * @param sequencing whether a parked record holds back the later records of its key
     */
    protected ProjectionConsumer(String name, String topic, List<Table<?>> ownTables, Sequencing sequencing,
            ProjectionSupport support) {
        this.name = name;
        this.topic = topic;
        this.ownTables = List.copyOf(ownTables);
        this.sequencing = sequencing;
        this.support = support;
        support.metrics().watch(name, topic);
    }

    public String name() {
        return name;
    }

    public String topic() {
        return topic;
    }

    public boolean rebuildable() {
        return !ownTables.isEmpty();
    }

    List<Table<?>> ownTables() {
        return ownTables;
    }

    Sequencing sequencing() {
        return sequencing;
    }

    /** Removes every row this projection wrote, inside a rebuild's transaction. */
    void clearForRebuild(DSLContext db) {
        for (Table<?> table : ownTables) {
            db.deleteFrom(table).execute();
        }
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        super.onPartitionsAssigned(assignments, callback);
        Map<TopicPartition, Long> stored = support.positions().nextOffsets(name, assignments.keySet());
        for (TopicPartition partition : assignments.keySet()) {
            Long next = stored.get(partition);
            if (next == null) {
                // nothing projected from it yet (a new or rebuilt read model): from the very first record,
                // whatever the consumer group committed before
                callback.seekToBeginning(partition.topic(), partition.partition());
            } else {
                callback.seek(partition.topic(), partition.partition(), next);
            }
        }
    }

    /**
     * Whether a record may concern this projection; one that cannot is passed over without a transaction.
     * Its position is then not stored: after a restart it is passed over again, which changes nothing.
     */
    protected boolean mayConcern(ConsumerRecord<byte[], byte[]> record) {
        return true;
    }

    /** Applies a batch exactly once in effect; returns what changed, for announcing after the commit. */
    public List<ChangeNotice> consume(List<ConsumerRecord<byte[], byte[]>> batch) {
        if (batch.stream().noneMatch(this::mayConcern)) {
            recordPositions(batch);
            return List.of();
        }
        try {
            List<ChangeNotice> changes = support.transaction().execute(status -> {
                support.positions().lock(name); // waits while a rebuild or a retry runs, then sees what it left
                Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
                batch.forEach(r -> byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()),
                        p -> new ArrayList<>()).add(r));
                Map<TopicPartition, Long> stored = support.positions().nextOffsets(name, byPartition.keySet());
                List<ConsumerRecord<byte[], byte[]>> fresh = new ArrayList<>();
                byPartition.forEach((partition, records) -> {
                    long next = stored.getOrDefault(partition, 0L);
                    records.stream().filter(r -> r.offset() >= next).forEach(fresh::add);
                });
                List<ChangeNotice> applied = applyGuarded(fresh, false, status);
                byPartition.forEach((partition, records) ->
                        support.positions().advance(name, partition, records.get(records.size() - 1).offset() + 1));
                return applied;
            });
            recordPositions(batch);
            return changes;
        } catch (RuntimeException e) {
            // the database or Kafka is away: the container retries the same batch with back-off
            log.warn("{} could not apply {} record(s) and retries them: {}", name, batch.size(), Failures.describe(e));
            throw e;
        }
    }

    /** One gauge update per partition of the batch, not per record: telemetry batches hold thousands. */
    private void recordPositions(List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<TopicPartition, Long> next = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            next.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
        }
        next.forEach((partition, offset) -> support.metrics().position(name, partition, offset));
    }

    /**
     * Applies records inside the caller's transaction, parking those that cannot be applied (and, when
     * sequenced by key, the records of their keys behind them) instead of failing the whole transaction.
     *
     * @throws RuntimeException only for failures that pass (the database or Kafka is away)
     */
    List<ChangeNotice> applyGuarded(List<ConsumerRecord<byte[], byte[]>> records, boolean replaying,
            TransactionStatus status) {
        Set<ByteBuffer> parkedKeys = sequencing == Sequencing.BY_KEY ? support.parked().keys(name) : Set.of();
        List<ConsumerRecord<byte[], byte[]>> ready = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (heldBack(record, parkedKeys)) {
                support.parked().park(name, record, null);
            } else {
                ready.add(record);
            }
        }
        if (ready.isEmpty()) {
            return List.of();
        }
        List<ChangeNotice> changes = new ArrayList<>();
        if (behindSavepoint(status, () -> changes.addAll(apply(ready, replaying))) == null) {
            return changes;
        }
        return oneByOne(ready, replaying, status, new HashSet<>(parkedKeys));
    }

    /** Finds the records of a refused batch that cannot be applied, applying every other one. */
    private List<ChangeNotice> oneByOne(List<ConsumerRecord<byte[], byte[]>> records, boolean replaying,
            TransactionStatus status, Set<ByteBuffer> parkedKeys) {
        List<ChangeNotice> changes = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (heldBack(record, parkedKeys)) {
                support.parked().park(name, record, null);
                continue;
            }
            String error = tryApply(record, replaying, status, changes);
            if (error != null) {
                support.parked().park(name, record, error);
                support.metrics().parked(name);
                if (sequencing == Sequencing.BY_KEY && record.key() != null) {
                    parkedKeys.add(ByteBuffer.wrap(record.key()));
                }
                log.error("{} cannot apply {}-{}@{} (key {}) and parked it{}: {}. See ./fleet projections.", name,
                        record.topic(), record.partition(), record.offset(), ParkedRetries.printableKey(record.key()),
                        sequencing == Sequencing.BY_KEY ? " with the later records of its key" : "", error);
            }
        }
        return changes;
    }

    /**
     * Applies one record behind a savepoint; returns null when applied, else why it cannot be.
     *
     * @throws RuntimeException for failures that pass
     */
    @Nullable
    String tryApply(ConsumerRecord<byte[], byte[]> record, boolean replaying, TransactionStatus status,
            List<ChangeNotice> changes) {
        return behindSavepoint(status, () -> changes.addAll(apply(List.of(record), replaying)));
    }

    /**
     * Runs an application behind a savepoint, so that a refusal undoes only it: null when it applied, else why
     * it cannot be.
     *
     * @throws RuntimeException for failures that pass
     */
    @Nullable
    private static String behindSavepoint(TransactionStatus status, Runnable application) {
        Object savepoint = status.createSavepoint();
        try {
            application.run();
            status.releaseSavepoint(savepoint);
            return null;
        } catch (RuntimeException e) {
            if (!Failures.isPermanent(e)) {
                throw e;
            }
            status.rollbackToSavepoint(savepoint);
            status.releaseSavepoint(savepoint);
            return Failures.describe(e);
        }
    }

    private boolean heldBack(ConsumerRecord<byte[], byte[]> record, Set<ByteBuffer> parkedKeys) {
        return sequencing == Sequencing.BY_KEY && record.key() != null && parkedKeys.contains(ByteBuffer.wrap(record.key()));
    }

    /**
     * Applies records not applied before, inside the batch's (or a rebuild's, or a retry's) transaction.
     *
     * @param replaying true during a rebuild: the records were seen before, so what was reported about them
     *                  then (dead letters) must not be reported again
     */
    protected abstract List<ChangeNotice> apply(List<ConsumerRecord<byte[], byte[]>> records, boolean replaying);
}
