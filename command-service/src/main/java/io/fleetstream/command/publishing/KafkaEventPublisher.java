package io.fleetstream.command.publishing;

import io.fleetstream.command.intake.CommandMetadata;
import io.fleetstream.schemas.Payloads;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.command.Actor;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.schemas.event.EventEnvelope;
import io.fleetstream.support.kafka.TopicPublisher;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;

/**
 * Copies the event store to {@code fleet.events}, in store order. It runs in the tracking processor
 * "kafka-publisher", whose position lives in the event store's database: a failed send propagates, the
 * processor retries the same event with back-off, and nothing is skipped while Kafka is away.
 */
@Component
@ProcessingGroup(KafkaEventPublisher.GROUP)
class KafkaEventPublisher {

    static final String GROUP = "kafka-publisher";
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final TopicPublisher publisher;

    KafkaEventPublisher(TopicPublisher publisher) {
        this.publisher = publisher;
    }

    @EventHandler
    void on(SpecificRecord payload, DomainEventMessage<?> message) throws Exception {
        EventEnvelope envelope = envelope(payload, message);
        publisher.send(Topics.EVENTS, envelope.getAggregateId(), envelope).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    static EventEnvelope envelope(SpecificRecord payload, DomainEventMessage<?> message) {
        MetaData metadata = message.getMetaData();
        Object actorKind = metadata.get(CommandMetadata.ACTOR_KIND);
        Object actorId = metadata.get(CommandMetadata.ACTOR_ID);
        return EventEnvelope.newBuilder()
                .setEventId(message.getIdentifier())
                .setAggregateType(message.getType())
                .setAggregateId(message.getAggregateIdentifier())
                .setSequence(message.getSequenceNumber())
                .setWorkspaceId(String.valueOf(metadata.get(CommandMetadata.WORKSPACE_ID)))
                .setOccurredAt(message.getTimestamp())
                .setType(Payloads.typeOf(payload))
                .setCommandId(metadata.get(CommandMetadata.COMMAND_ID) == null ? null
                        : String.valueOf(metadata.get(CommandMetadata.COMMAND_ID)))
                .setActor(actorKind == null || actorId == null ? null : Actor.newBuilder()
                        .setKind(ActorKind.valueOf(actorKind.toString())).setId(actorId.toString()).build())
                .setPayload(ByteBuffer.wrap(Payloads.encode(payload)))
                .build();
    }
}
