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

    private final ThreadLocal<Long[]> current = new ThreadLocal<>();

    AppliedVersions(EventStore eventStore) {
        eventStore.registerDispatchInterceptor(this);
    }

    /** Runs a command; returns the sequence of the last event it applied, or null when it applied none. */
    Long track(Runnable command) {
        Long[] seen = new Long[1];
        Long[] outer = current.get();
        current.set(seen);
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
        Long[] seen = current.get();
        if (seen != null) {
            for (EventMessage<?> message : messages) {
                if (message instanceof DomainEventMessage<?> event
                        && (seen[0] == null || event.getSequenceNumber() > seen[0])) {
                    seen[0] = event.getSequenceNumber();
                }
            }
        }
        return (index, message) -> message;
    }
}
