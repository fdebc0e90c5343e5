package io.fleetstream.command.publishing;

import io.fleetstream.command.intake.CommandMetadata;
import io.fleetstream.schemas.Payloads;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.command.Actor;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.schemas.event.EventEnvelope;
import io.fleetstream.support.kafka.TopicPublisher;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.apache.avro.specific.SpecificRecord;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;

/**
 * Copies the event store to {@code fleet.events}, in order per aggregate. It runs in the tracking
 * processor "kafka-publisher", whose position lives in the event store's database. A batch's events are
 * sent in waves ({@link #sendInOrder}) and the batch's position is stored only once Kafka has every one of
 * them: a failed send fails the batch, the processor retries it with back-off, and nothing is skipped while
 * Kafka is away. A retried batch may publish an event again; consumers dedupe by (aggregate id, sequence).
 */
@Component
@ProcessingGroup(KafkaEventPublisher.GROUP)
class KafkaEventPublisher {

    static final String GROUP = "kafka-publisher";
    private static final String PENDING = KafkaEventPublisher.class.getName() + ".pending";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final TopicPublisher publisher;

    KafkaEventPublisher(TopicPublisher publisher) {
        this.publisher = publisher;
    }

    @EventHandler
    void on(SpecificRecord payload, DomainEventMessage<?> message) {
        pending().add(envelope(payload, message));
    }

    /** The events of the current batch, sent once it is handled, before its position is stored. */
    private List<EventEnvelope> pending() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(PENDING, key -> {
            List<EventEnvelope> events = new ArrayList<>();
            batch.onPrepareCommit(u -> sendInOrder(events));
            return events;
        });
    }

    /**
     * Sends a batch's events in waves: the first event of every aggregate together, then the second of
     * every aggregate, and so on, each wave only once Kafka has taken the one before. An aggregate's next
     * event is so never on its way before the one before it was taken, whatever fails: a send that fails
     * (or times out) fails the batch, which is retried from its first event, in order. A wave costs one
     * round trip for all the batch's aggregates.
     */
    private void sendInOrder(List<EventEnvelope> events) {
        Map<String, List<EventEnvelope>> byAggregate = new LinkedHashMap<>();
        events.forEach(e -> byAggregate.computeIfAbsent(e.getAggregateId(), k -> new ArrayList<>()).add(e));
        for (int wave = 0; ; wave++) {
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (List<EventEnvelope> ofAggregate : byAggregate.values()) {
                if (wave < ofAggregate.size()) {
                    EventEnvelope event = ofAggregate.get(wave);
                    sent.add(publisher.send(Topics.EVENTS, event.getAggregateId(), event,
                            Map.of(Topics.AGGREGATE_TYPE_HEADER, event.getAggregateType())));
                }
            }
            if (sent.isEmpty()) {
                return;
            }
            TopicPublisher.awaitAll(sent, SEND_TIMEOUT, "the batch's events");
        }
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
