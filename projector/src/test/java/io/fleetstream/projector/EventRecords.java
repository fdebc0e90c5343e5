package io.fleetstream.projector;

import io.fleetstream.schemas.Payloads;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.command.Actor;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.schemas.event.EventEnvelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Events as a projection receives them, for tests that feed a projection directly, without Kafka: each
 * builder has a topic of its own (so its positions never meet the live consumers'), numbers each
 * aggregate's events in order and gives every record the next offset.
 */
final class EventRecords {

    private final String topic = "test.events-" + UUID.randomUUID();
    private final Map<String, Long> sequences = new HashMap<>();
    private long offset;
    private Instant clock = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    /** The next event of an aggregate, by a person, a millisecond after the one before. */
    ConsumerRecord<byte[], byte[]> next(String aggregateType, String workspaceId, String aggregateId, SpecificRecord payload) {
        long sequence = sequences.merge(aggregateId, 0L, (before, zero) -> before + 1);
        clock = clock.plusMillis(1);
        return again(EventEnvelope.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAggregateType(aggregateType)
                .setAggregateId(aggregateId)
                .setSequence(sequence)
                .setWorkspaceId(workspaceId)
                .setOccurredAt(clock)
                .setType(Payloads.typeOf(payload))
                .setCommandId(UUID.randomUUID().toString())
                .setActor(Actor.newBuilder().setKind(ActorKind.USER).setId("alice").build())
                .setPayload(ByteBuffer.wrap(Payloads.encode(payload)))
                .build());
    }

    /** An event delivered (again) as a new record. */
    ConsumerRecord<byte[], byte[]> again(EventEnvelope event) {
        return new ConsumerRecord<>(topic, 0, offset++, event.getAggregateId().getBytes(StandardCharsets.UTF_8),
                Topics.EVENTS.valueSerde().serializer().serialize(topic, event));
    }

    static EventEnvelope envelope(ConsumerRecord<byte[], byte[]> record) {
        return Topics.EVENTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
    }
}
