package io.fleetstream.projector.projection;

import static io.fleetstream.schemas.readmodel.Tables.PARKED_RECORD;

import io.fleetstream.schemas.readmodel.tables.records.ParkedRecordRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;

/**
 * The records each projection set aside because it could not apply them, with what it was told, in the
 * same transaction as the positions that moved past them: a parked record is never lost, and nothing
 * is parked twice when a batch is redelivered.
 */
@Repository
public class ParkedRecords {

    private final DSLContext db;

    ParkedRecords(DSLContext db) {
        this.db = db;
    }

    /** One parked record. */
    public record Parked(String projection, String topic, int partition, long offset, byte @Nullable [] key,
            byte @Nullable [] value, boolean failed, @Nullable String error, int attempts, boolean skipped,
            java.time.OffsetDateTime parkedAt) {

        ConsumerRecord<byte[], byte[]> asConsumerRecord() {
            return new ConsumerRecord<>(topic, partition, offset, key, value);
        }
    }

    /** The keys (aggregates) of a projection that have records parked: their later records wait behind. */
    Set<ByteBuffer> keys(String projection) {
        Set<ByteBuffer> keys = new HashSet<>();
        db.selectDistinct(PARKED_RECORD.RECORD_KEY).from(PARKED_RECORD)
                .where(PARKED_RECORD.PROJECTION.eq(projection), PARKED_RECORD.RECORD_KEY.isNotNull(),
                        PARKED_RECORD.SKIPPED.isFalse())
                .forEach(row -> keys.add(ByteBuffer.wrap(row.value1())));
        return keys;
    }

    /**
     * Sets a record aside.
     *
     * @param error why it could not be applied; null when it waits behind an earlier parked record of its key
     */
    void park(String projection, ConsumerRecord<byte[], byte[]> record, @Nullable String error) {
        db.insertInto(PARKED_RECORD)
                .set(PARKED_RECORD.PROJECTION, projection)
                .set(PARKED_RECORD.TOPIC, record.topic())
                .set(PARKED_RECORD.PARTITION, record.partition())
                .set(PARKED_RECORD.RECORD_OFFSET, record.offset())
                .set(PARKED_RECORD.RECORD_KEY, record.key())
                .set(PARKED_RECORD.RECORD_VALUE, record.value())
                .set(PARKED_RECORD.FAILED, error != null)
                .set(PARKED_RECORD.ERROR, error)
                .set(PARKED_RECORD.ATTEMPTS, error == null ? 0 : 1)
                .onConflictDoNothing()
                .execute();
    }

    /** A retried record failed again. */
    void failedAgain(Parked parked, String error) {
        db.update(PARKED_RECORD)
                .set(PARKED_RECORD.FAILED, true)
                .set(PARKED_RECORD.ERROR, error)
                .set(PARKED_RECORD.ATTEMPTS, PARKED_RECORD.ATTEMPTS.plus(1))
                .where(identity(parked))
                .execute();
    }

    void remove(Parked parked) {
        db.deleteFrom(PARKED_RECORD).where(identity(parked)).execute();
    }

    /** The operator gave up on a record: it is kept, marked, so that rebuilds leave it out too. */
    void skip(Parked parked) {
        db.update(PARKED_RECORD).set(PARKED_RECORD.SKIPPED, true).where(identity(parked)).execute();
    }

    /**
     * Forgets the parked records of a projection that were not skipped (a rebuild parks afresh what still
     * cannot be applied) and answers the coordinates of the skipped ones, which a rebuild leaves out.
     */
    Set<String> clearForRebuild(String projection) {
        db.deleteFrom(PARKED_RECORD)
                .where(PARKED_RECORD.PROJECTION.eq(projection), PARKED_RECORD.SKIPPED.isFalse())
                .execute();
        Set<String> skipped = new HashSet<>();
        db.select(PARKED_RECORD.TOPIC, PARKED_RECORD.PARTITION, PARKED_RECORD.RECORD_OFFSET).from(PARKED_RECORD)
                .where(PARKED_RECORD.PROJECTION.eq(projection))
                .forEach(row -> skipped.add(coordinates(row.value1(), row.value2(), row.value3())));
        return skipped;
    }

    static String coordinates(String topic, int partition, long offset) {
        return topic + "/" + partition + "@" + offset;
    }

    /**
     * The parked records of a projection (all projections when null), optionally of one key, as sequences:
     * the records of one key in the order they arrived; a record without a key is a sequence of its own.
     */
    public List<List<Parked>> sequences(@Nullable String projection, byte @Nullable [] key, boolean withSkipped) {
        Condition where = withSkipped ? DSL.trueCondition() : PARKED_RECORD.SKIPPED.isFalse();
        if (projection != null) {
            where = where.and(PARKED_RECORD.PROJECTION.eq(projection));
        }
        if (key != null) {
            where = where.and(PARKED_RECORD.RECORD_KEY.eq(key));
        }
        List<List<Parked>> sequences = new ArrayList<>();
        Parked previous = null;
        for (ParkedRecordRecord row : db.selectFrom(PARKED_RECORD).where(where)
                .orderBy(PARKED_RECORD.PROJECTION, PARKED_RECORD.RECORD_KEY, PARKED_RECORD.TOPIC,
                        PARKED_RECORD.PARTITION, PARKED_RECORD.RECORD_OFFSET)) {
            Parked parked = parked(row);
            boolean sameSequence = previous != null && parked.key() != null
                    && previous.projection().equals(parked.projection()) && Arrays.equals(previous.key(), parked.key());
            if (!sameSequence) {
                sequences.add(new ArrayList<>());
            }
            sequences.get(sequences.size() - 1).add(parked);
            previous = parked;
        }
        return sequences;
    }

    /** How many records each projection has parked (and not skipped). */
    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        db.select(PARKED_RECORD.PROJECTION, DSL.count()).from(PARKED_RECORD).where(PARKED_RECORD.SKIPPED.isFalse())
                .groupBy(PARKED_RECORD.PROJECTION)
                .orderBy(PARKED_RECORD.PROJECTION)
                .forEach(row -> counts.put(row.value1(), row.value2()));
        return counts;
    }

    private static Condition identity(Parked parked) {
        return PARKED_RECORD.PROJECTION.eq(parked.projection())
                .and(PARKED_RECORD.TOPIC.eq(parked.topic()))
                .and(PARKED_RECORD.PARTITION.eq(parked.partition()))
                .and(PARKED_RECORD.RECORD_OFFSET.eq(parked.offset()));
    }

    private static Parked parked(ParkedRecordRecord row) {
        return new Parked(row.getProjection(), row.getTopic(), row.getPartition(), row.getRecordOffset(),
                row.getRecordKey(), row.getRecordValue(), row.getFailed(), row.getError(), row.getAttempts(),
                row.getSkipped(), row.getParkedAt());
    }
}
