package io.fleetstream.command.intake;

import java.util.List;
import java.util.function.BiFunction;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.springframework.stereotype.Component;

/**
 * The version an aggregate reached with a command, seen as its events are published, so that answering
 * a command costs no query of the event store. Commands are handled on the thread that sends them.
 */
@Component
class AppliedVersions implements MessageDispatchInterceptor<EventMessage<?>> {

    /** The aggregate a command on this thread changes, and the last sequence of its events seen so far. */
    private record Tracked(String aggregateId, Long[] seen) {
    }

    private final ThreadLocal<Tracked> current = new ThreadLocal<>();

    AppliedVersions(EventStore eventStore) {
        eventStore.registerDispatchInterceptor(this);
    }

    /** Runs a command; returns the sequence of the last event it applied to its aggregate, or null when none. */
    Long track(String aggregateId, Runnable command) {
        Long[] seen = new Long[1];
        Tracked outer = current.get();
        current.set(new Tracked(aggregateId, seen));
        try {
            command.run();
            return seen[0];
        } finally {
            if (outer == null) {
                current.remove();
            } else {
                current.set(outer);
            }
        }
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        Tracked tracked = current.get();
        if (tracked != null) {
            Long[] seen = tracked.seen();
            for (EventMessage<?> message : messages) {
                if (message instanceof DomainEventMessage<?> event
                        && tracked.aggregateId().equals(event.getAggregateIdentifier())
                        && (seen[0] == null || event.getSequenceNumber() > seen[0])) {
                    seen[0] = event.getSequenceNumber();
                }
            }
        }
        return (index, message) -> message;
    }
}
