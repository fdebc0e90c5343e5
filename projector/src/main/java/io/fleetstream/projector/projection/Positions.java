package io.fleetstream.projector.projection;

import static io.fleetstream.schemas.readmodel.Tables.CONSUMER_POSITION;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * Where each projection stands in each partition. Written in the same transaction as the projection's
 * rows, so after a crash or rebalance the projection resumes exactly after what it committed.
 */
@Repository
public class Positions {

    private final DSLContext db;

    Positions(DSLContext db) {
        this.db = db;
    }

    /** The next offset to read per partition; partitions never read are absent. */
    public Map<TopicPartition, Long> nextOffsets(String consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return new HashMap<>();
        }
        Map<TopicPartition, Long> result = nextOffsets(consumer, partitions.iterator().next().topic());
        result.keySet().retainAll(partitions);
        return result;
    }

    /**
     * Serialises everything that moves one projection: its live batches and its rebuilds take this lock
     * first, in their own transaction, and hold it until they commit.
     */
    public void lock(String consumer) {
        db.execute("select pg_advisory_xact_lock(hashtext({0}))", DSL.val(consumer));
    }

    /** Forgets where a projection stands, so that it starts again from the beginning. */
    public void forget(String consumer) {
        db.deleteFrom(CONSUMER_POSITION).where(CONSUMER_POSITION.CONSUMER.eq(consumer)).execute();
    }

    /** Where the projection stands in every partition of the topic it has read from. */
    public Map<TopicPartition, Long> nextOffsets(String consumer, String topic) {
        Map<TopicPartition, Long> result = new HashMap<>();
        db.selectFrom(CONSUMER_POSITION)
                .where(CONSUMER_POSITION.CONSUMER.eq(consumer), CONSUMER_POSITION.TOPIC.eq(topic))
                .forEach(row -> result.put(new TopicPartition(row.getTopic(), row.getPartition()), row.getNextOffset()));
        return result;
    }

    public void advance(String consumer, TopicPartition partition, long nextOffset) {
        db.insertInto(CONSUMER_POSITION)
                .set(CONSUMER_POSITION.CONSUMER, consumer)
                .set(CONSUMER_POSITION.TOPIC, partition.topic())
                .set(CONSUMER_POSITION.PARTITION, partition.partition())
                .set(CONSUMER_POSITION.NEXT_OFFSET, nextOffset)
                .onConflict(CONSUMER_POSITION.CONSUMER, CONSUMER_POSITION.TOPIC, CONSUMER_POSITION.PARTITION)
                .doUpdate()
                .set(CONSUMER_POSITION.NEXT_OFFSET, nextOffset)
                .where(CONSUMER_POSITION.NEXT_OFFSET.lt(nextOffset))
                .execute();
    }
}
