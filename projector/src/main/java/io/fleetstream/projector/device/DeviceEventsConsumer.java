package io.fleetstream.projector.device;

import static io.fleetstream.schemas.readmodel.Tables.DEVICE;
import static io.fleetstream.schemas.readmodel.Tables.DEVICE_HISTORY;

import io.fleetstream.projector.notice.ChangeAnnouncer;
import io.fleetstream.projector.projection.ProjectionConsumer;
import io.fleetstream.projector.projection.ProjectionSupport;
import io.fleetstream.schemas.MalformedRecordException;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.UnknownSchemaException;
import io.fleetstream.schemas.event.EventEnvelope;
import io.fleetstream.support.kafka.DeadLetters;
import io.fleetstream.support.notice.ChangeNotice;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Feeds {@code fleet.events} into the devices read model and history. */
@Component
class DeviceEventsConsumer extends ProjectionConsumer {

    private final DeviceProjection projection;
    private final ChangeAnnouncer announcer;
    private final DeadLetters deadLetters;

    DeviceEventsConsumer(DeviceProjection projection, ChangeAnnouncer announcer, DeadLetters deadLetters,
            ProjectionSupport support) {
        // an aggregate's events build on each other: one that cannot be applied holds back the later ones
        super("projector-devices", Topics.EVENTS.name(), List.of(DEVICE, DEVICE_HISTORY), Sequencing.BY_KEY, support);
        this.projection = projection;
        this.announcer = announcer;
        this.deadLetters = deadLetters;
    }

    @KafkaListener(id = "projector-devices", topics = "fleet.events", groupId = "projector-devices", batch = "true")
    void on(List<ConsumerRecord<byte[], byte[]>> records) {
        announcer.announce(consume(records));
    }

    @Override
    protected List<ChangeNotice> apply(List<ConsumerRecord<byte[], byte[]>> records, boolean replaying) {
        List<ChangeNotice> notices = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                EventEnvelope event = Topics.EVENTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
                if (event == null) {
                    throw new MalformedRecordException("empty record");
                }
                projection.apply(event).ifPresent(notices::add);
            } catch (UnknownSchemaException e) {
                throw e; // a fact from a newer version: parked until this projector is upgraded and retries it
            } catch (MalformedRecordException | IllegalArgumentException e) {
                if (replaying) {
                    continue; // dead-lettered when it was first read
                }
                deadLetters.send(record.topic() + "/" + record.partition() + "@" + record.offset(), "event.unreadable",
                        e.getMessage(), null, null, record.value());
            }
        }
        return notices;
    }
}
