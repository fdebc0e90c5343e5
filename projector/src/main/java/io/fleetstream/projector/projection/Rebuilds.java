package io.fleetstream.projector.projection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds a read model from the first record of its topic, in one database transaction: its tables
 * are emptied, every record up to the topic's end (as it was when the rebuild took the projection's
 * lock) is applied again by the projection's own code, and its positions are set to that end.
 *
 * <ul>
 *   <li>Readers keep seeing the old rows until the rebuild commits, then see the new ones at once: rows
 *       are deleted, not truncated, so nobody waits on the tables and nothing is ever half rebuilt.</li>
 *   <li>It may run while the projector is live, in the projector or in another process: the live
 *       consumer waits on the projection's lock and carries on from the positions the rebuild left.</li>
 *   <li>A rebuild that fails rolls back and leaves the read model as it was.</li>
 *   <li>Change notices are not sent for replayed records: they are history, not news. Unreadable
 *       records are not dead-lettered again either.</li>
 *   <li>It refuses to run when the topic is missing, does not start at offset 0 any more, or holds less
 *       than the read model has already applied (another cluster, a recreated topic): emptying the
 *       read model there would lose what it shows.</li>
 * </ul>
 */
@Service
public class Rebuilds {

    private static final Logger log = LoggerFactory.getLogger(Rebuilds.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Map<String, ProjectionConsumer> projections;
    private final ConsumerFactory<byte[], byte[]> consumers;
    private final Positions positions;
    private final ParkedRecords parked;
    private final DSLContext db;
    private final TransactionTemplate transaction;
    private final Duration stallTimeout;

    @SuppressWarnings("unchecked")
    Rebuilds(List<ProjectionConsumer> projections, ConsumerFactory<?, ?> consumers, Positions positions,
            ParkedRecords parked, DSLContext db, TransactionTemplate transaction, RebuildProperties properties) {
        this.projections = projections.stream().collect(Collectors.toMap(
                ProjectionConsumer::name, p -> p, (a, b) -> a, TreeMap::new));
        this.consumers = (ConsumerFactory<byte[], byte[]>) consumers;
        this.positions = positions;
        this.parked = parked;
        this.db = db;
        this.transaction = transaction;
        this.stallTimeout = properties.stallTimeout();
    }

    /** What a rebuild did. */
    public record Report(String projection, String topic, long records, Map<Integer, Long> endOffsets,
            Duration took) {
    }

    /** Why a projection was not rebuilt; nothing was changed. */
    public static class RebuildRefused extends RuntimeException {
        RebuildRefused(String message) {
            super(message);
        }
    }

    /** The names of the projections that can be rebuilt. */
    public List<String> rebuildable() {
        return projections.values().stream().filter(ProjectionConsumer::rebuildable).map(ProjectionConsumer::name)
                .toList();
    }

    /**
     * Rebuilds the projection of that name ("projector-devices", or "devices" for short).
     *
     * @throws RebuildRefused when there is no such projection, it cannot be rebuilt, or its topic no longer
     *                        holds its first records
     */
    public Report rebuild(String name) {
        ProjectionConsumer projection = find(name).orElseThrow(() -> new RebuildRefused(
                "No projection " + name + "; these can be rebuilt: " + String.join(", ", rebuildable()) + "."));
        if (!projection.rebuildable()) {
            throw new RebuildRefused("Projection " + projection.name() + " cannot be rebuilt: " + projection.topic()
                    + " is not kept forever. These can be rebuilt: " + String.join(", ", rebuildable()) + ".");
        }
        long started = System.nanoTime();
        Properties readOnly = new Properties();
        readOnly.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // never create what it should read
        try (Consumer<byte[], byte[]> consumer = consumers.createConsumer(null, "rebuild-" + projection.name(), null,
                readOnly)) {
            Report report = transaction.execute(status -> replay(projection, consumer, started, status));
            log.info("rebuilt {} from {}: {} records up to {} in {} ms", report.projection(), report.topic(),
                    report.records(), report.endOffsets(), report.took().toMillis());
            return report;
        }
    }

    private Optional<ProjectionConsumer> find(String name) {
        return Optional.ofNullable(projections.getOrDefault(name, projections.get("projector-" + name)));
    }

    private Report replay(ProjectionConsumer projection, Consumer<byte[], byte[]> consumer, long started,
            TransactionStatus status) {
        positions.lock(projection.name());
        List<TopicPartition> partitions = consumer.partitionsFor(projection.topic()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (partitions.isEmpty()) {
            throw new RebuildRefused("Topic " + projection.topic() + " does not exist here; is this the right Kafka?");
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        positions.nextOffsets(projection.name(), projection.topic()).forEach((partition, next) -> {
            if (!end.containsKey(partition) || next > end.get(partition)) {
                throw new RebuildRefused("The read model has applied " + partition + " up to offset " + next
                        + ", beyond what this Kafka holds (" + end.get(partition) + "): a rebuild here would lose"
                        + " events. Is this the right Kafka, or was the topic recreated?");
            }
        });
        consumer.beginningOffsets(partitions).forEach((partition, first) -> {
            if (first > 0) {
                throw new RebuildRefused(partition + " no longer starts at offset 0 but at " + first
                        + ": a rebuild would lose the records before it.");
            }
        });
        log.info("rebuilding {} from {} up to {}", projection.name(), projection.topic(), end);
        projection.clearForRebuild(db);
        positions.forget(projection.name());
        // what still cannot be applied is parked again, as the live projection would; what was skipped stays out
        Set<String> skipped = parked.clearForRebuild(projection.name());

        consumer.seekToBeginning(partitions);
        long records = 0;
        long lastProgress = System.nanoTime();
        while (!reached(consumer, end)) {
            ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);
            List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(polled.count());
            polled.forEach(record -> {
                if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))
                        && !skipped.contains(ParkedRecords.coordinates(record.topic(), record.partition(), record.offset()))) {
                    batch.add(record);
                }
            });
            if (!batch.isEmpty()) {
                projection.applyGuarded(batch, true, status);
                records += batch.size();
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
                throw new IllegalStateException("Rebuild of " + projection.name() + " made no progress for "
                        + stallTimeout.toSeconds() + " s; Kafka may be unreachable. Nothing was changed.");
            }
        }
        Map<Integer, Long> endOffsets = new TreeMap<>();
        end.forEach((partition, offset) -> {
            endOffsets.put(partition.partition(), offset);
            if (offset > 0) {
                positions.advance(projection.name(), partition, offset);
            }
        });
        return new Report(projection.name(), projection.topic(), records, endOffsets,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static boolean reached(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
