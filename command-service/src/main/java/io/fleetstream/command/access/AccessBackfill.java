package io.fleetstream.command.access;

import java.util.List;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fills {@link Memberships} from the events stored before it existed, once, before the intake takes its
 * first command: an event store of an earlier version keeps working with the same members and keys. Stop
 * every instance of the earlier version before the first of this one starts: what they apply after the
 * fill would not reach these tables.
 */
@Component
class AccessBackfill implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(AccessBackfill.class);

    private final JdbcTemplate jdbc;
    private final EventStore events;
    private final Memberships memberships;
    private final TransactionTemplate transactions;

    AccessBackfill(JdbcTemplate jdbc, EventStore events, Memberships memberships, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.events = events;
        this.memberships = memberships;
        this.transactions = transactions;
    }

    @Override
    public void afterSingletonsInstantiated() {
        transactions.executeWithoutResult(status -> {
            // instances starting together fill it once: the others wait here, then find it done
            jdbc.queryForList("select pg_advisory_xact_lock(hashtext('fleet-access-backfill'))");
            if (!jdbc.queryForList("select done from access_backfill", Boolean.class).isEmpty()) {
                return;
            }
            List<String> ids = jdbc.queryForList("select aggregate_id from aggregate_directory "
                    + "where aggregate_type in ('workspace', 'user', 'api-key', 'team')", String.class);
            AnnotationEventHandlerAdapter handler = new AnnotationEventHandlerAdapter(memberships);
            for (String id : ids) {
                events.readEvents(id).asStream().forEach(event -> {
                    try {
                        if (handler.canHandle(event)) {
                            handler.handle(event);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot fill access from event " + event.getIdentifier(), e);
                    }
                });
            }
            jdbc.update("insert into access_backfill (done) values (true)");
            if (!ids.isEmpty()) {
                log.info("filled workspace access from the events of {} aggregates", ids.size());
            }
        });
    }
}
