package io.fleetstream.projector.projection;

import io.fleetstream.projector.notice.ChangeAnnouncer;
import io.fleetstream.schemas.Text;
import io.fleetstream.support.notice.ChangeNotice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What an operator does with parked records, once the cause is fixed (a projection bug, a schema the
 * projector did not know yet) or accepted:
 * <ul>
 *   <li><b>retry</b> applies a key's parked records again, in the order they arrived; those that apply
 *       leave the parking, and a record that fails again stays there with the records behind it;</li>
 *   <li><b>skip</b> gives up the oldest parked record of a key for good — the read model goes without what
 *       it says, and so do rebuilds, which leave skipped records out — and retries the records behind it.</li>
 * </ul>
 * Both hold the projection's lock in their own transaction, like a live batch, so they may run next to the
 * live projector, from this process or another one.
 */
@Service
public class ParkedRetries {

    private static final Logger log = LoggerFactory.getLogger(ParkedRetries.class);

    private final Map<String, ProjectionConsumer> projections;
    private final ParkedRecords parked;
    private final Positions positions;
    private final TransactionTemplate transaction;
    private final ChangeAnnouncer announcer;

    ParkedRetries(List<ProjectionConsumer> projections, ParkedRecords parked, Positions positions,
            TransactionTemplate transaction, ChangeAnnouncer announcer) {
        this.projections = projections.stream().collect(Collectors.toMap(
                ProjectionConsumer::name, p -> p, (a, b) -> a, TreeMap::new));
        this.parked = parked;
        this.positions = positions;
        this.transaction = transaction;
        this.announcer = announcer;
    }

    /** What a retry or skip did. */
    public record Outcome(String projection, int applied, int stillParked, int skipped) {
    }

    /** Why nothing was done. */
    public static class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** Retries the parked records of one key, or of every key when {@code key} is null. */
    public Outcome retry(String projection, @Nullable String key) {
        return run(find(projection), key, false);
    }

    /** Drops the oldest parked record of the key and retries the ones behind it. */
    public Outcome skip(String projection, String key) {
        return run(find(projection), key, true);
    }

    /** The projections that may have parked records. */
    public List<String> names() {
        return List.copyOf(projections.keySet());
    }

    private ProjectionConsumer find(String name) {
        ProjectionConsumer projection = projections.getOrDefault(name, projections.get("projector-" + name));
        if (projection == null) {
            throw new Refused("No projection " + Text.printable(name, 80) + "; there are: " + String.join(", ", projections.keySet()) + ".");
        }
        return projection;
    }

    private Outcome run(ProjectionConsumer projection, @Nullable String key, boolean skipFirst) {
        List<ChangeNotice> notices = new ArrayList<>();
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        Outcome outcome = transaction.execute(status -> {
            positions.lock(projection.name());
            int applied = 0;
            int still = 0;
            int skipped = 0;
            List<List<ParkedRecords.Parked>> sequences = parked.sequences(projection.name(), keyBytes, false);
            if (skipFirst && sequences.isEmpty()) {
                throw new Refused("Nothing of key " + Text.printable(key, 80) + " is parked in " + projection.name() + ".");
            }
            for (List<ParkedRecords.Parked> sequence : sequences) {
                boolean blocked = false;
                for (int i = 0; i < sequence.size(); i++) {
                    ParkedRecords.Parked record = sequence.get(i);
                    if (skipFirst && i == 0) {
                        parked.skip(record);
                        skipped++;
                    } else if (blocked) {
                        still++;
                    } else {
                        String error = projection.tryApply(record.asConsumerRecord(), false, status, notices);
                        if (error == null) {
                            parked.remove(record);
                            applied++;
                        } else {
                            parked.failedAgain(record, error);
                            still++;
                            blocked = projection.sequencing() == ProjectionConsumer.Sequencing.BY_KEY;
                        }
                    }
                }
            }
            return new Outcome(projection.name(), applied, still, skipped);
        });
        log.info("{} of {}: {} applied, {} still parked, {} skipped", skipFirst ? "skip" : "retry",
                projection.name(), outcome.applied(), outcome.stillParked(), outcome.skipped());
        announcer.announce(notices);
        return outcome;
    }

    /** A Kafka key as it may be shown: keys are UTF-8 aggregate ids, but nothing guarantees it. */
    static String printableKey(byte @Nullable [] key) {
        return key == null ? "(none)" : Text.printable(new String(key, StandardCharsets.UTF_8), 80);
    }
}
