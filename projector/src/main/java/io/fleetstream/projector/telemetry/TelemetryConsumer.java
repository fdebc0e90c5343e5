package io.fleetstream.projector.telemetry;

import io.fleetstream.projector.notice.ChangeAnnouncer;
import io.fleetstream.projector.projection.ProjectionConsumer;
import io.fleetstream.projector.projection.ProjectionSupport;
import io.fleetstream.schemas.MalformedRecordException;
import io.fleetstream.schemas.RecordRules;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.UnknownSchemaException;
import io.fleetstream.schemas.telemetry.TelemetryBatch;
import io.fleetstream.support.kafka.DeadLetters;
import io.fleetstream.support.notice.ChangeNotice;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds {@code fleet.telemetry} into the time series, latest values and last-seen times. Telemetry is
 * not an event: its topic keeps only a window, so this projection cannot be rebuilt from it.
 */
@Component
class TelemetryConsumer extends ProjectionConsumer {

    private final TelemetryProjection projection;
    private final ChangeAnnouncer announcer;
    private final DeadLetters deadLetters;

    TelemetryConsumer(TelemetryProjection projection, ChangeAnnouncer announcer, DeadLetters deadLetters,
            ProjectionSupport support) {
        // Not rebuildable: fleet.telemetry is not kept forever, so a rebuild would lose the older points.
        // Points are keyed by their timestamp and latest values keep the newest, so order does not matter:
        // a message that cannot be stored holds back nothing of its device.
        super("projector-telemetry", Topics.TELEMETRY.name(), List.of(), Sequencing.NONE, support);
        this.projection = projection;
        this.announcer = announcer;
        this.deadLetters = deadLetters;
    }

    @KafkaListener(id = "projector-telemetry", topics = "fleet.telemetry", groupId = "projector-telemetry",
            batch = "true")
    void on(List<ConsumerRecord<byte[], byte[]>> records) {
        announcer.announce(consume(records));
    }

    @Override
    protected List<ChangeNotice> apply(List<ConsumerRecord<byte[], byte[]>> records, boolean replaying) {
        List<TelemetryBatch> batches = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                TelemetryBatch batch = Topics.TELEMETRY.valueSerde().deserializer().deserialize(record.topic(), record.value());
                if (batch == null) {
                    throw new MalformedRecordException("empty record");
                }
                UUID.fromString(batch.getDeviceId());
                RecordRules.require(batch); // an outside producer may have put anything on fleet.telemetry
                batches.add(batch);
            } catch (UnknownSchemaException e) {
                throw e; // written by a newer version: parked until this projector is upgraded and retries it
            } catch (RecordRules.InvalidRecordException e) {
                deadLetter(record, "telemetry.invalid", e.getMessage());
            } catch (MalformedRecordException | IllegalArgumentException e) {
                deadLetter(record, "telemetry.unreadable", String.valueOf(e.getMessage()));
            }
        }
        return projection.apply(batches);
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reasonCode, String reason) {
        deadLetters.send(record.topic() + "/" + record.partition() + "@" + record.offset(), reasonCode, reason, null,
                null, record.value());
    }
}
