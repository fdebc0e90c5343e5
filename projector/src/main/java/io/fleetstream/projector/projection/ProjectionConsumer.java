package io.fleetstream.projector.projection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jooq.Table;
import org.springframework.kafka.listener.AbstractConsumerSeekAware;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Base of every projection fed by Kafka: on assignment it seeks to the positions stored in the
 * database; each batch is applied and the new positions stored in one transaction; records before a
 * stored position (a redelivery) are skipped. Kafka's own committed offsets only show lag.
 *
 * <p>A projection whose topic is kept forever names the tables it alone writes; {@link Rebuilds} can then
 * rebuild it from the first record.
 */
public abstract class ProjectionConsumer<T> extends AbstractConsumerSeekAware {

    private final String name;
    private final String topic;
    private final List<Table<?>> ownTables;
    private final Positions positions;
    private final TransactionTemplate transaction;

    /**
     * @param name      the projection's name, also its consumer group and listener id
     * @param topic     the topic it reads
     * @param ownTables the tables it alone writes, emptied by a rebuild; none if it cannot be rebuilt
     *                  because its topic is not kept forever
     */
    protected ProjectionConsumer(String name, String topic, List<Table<?>> ownTables, Positions positions,
            TransactionTemplate transaction) {
        this.name = name;
        this.topic = topic;
        this.ownTables = List.copyOf(ownTables);
        this.positions = positions;
        this.transaction = transaction;
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

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        super.onPartitionsAssigned(assignments, callback);
        Map<TopicPartition, Long> stored = positions.nextOffsets(name, assignments.keySet());
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

    /** Applies a batch exactly once in effect; returns what changed, for announcing after the commit. */
    public T consume(List<ConsumerRecord<byte[], byte[]>> batch) {
        return transaction.execute(status -> {
            positions.lock(name); // waits while a rebuild runs, then sees the positions it left
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
            batch.forEach(r -> byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()),
                    p -> new ArrayList<>()).add(r));
            Map<TopicPartition, Long> stored = positions.nextOffsets(name, byPartition.keySet());
            List<ConsumerRecord<byte[], byte[]>> fresh = new ArrayList<>();
            byPartition.forEach((partition, records) -> {
                long next = stored.getOrDefault(partition, 0L);
                records.stream().filter(r -> r.offset() >= next).forEach(fresh::add);
            });
            T changes = apply(fresh, false);
            byPartition.forEach((partition, records) ->
                    positions.advance(name, partition, records.get(records.size() - 1).offset() + 1));
            return changes;
        });
    }

    /**
     * Applies records not applied before, inside the batch's (or a rebuild's) transaction.
     *
     * @param replaying true during a rebuild: the records were seen before, so what was reported about them
     *                  then (dead letters) must not be reported again
     */
    protected abstract T apply(List<ConsumerRecord<byte[], byte[]>> records, boolean replaying);
}
