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
    /** The fill of the team members, which versions before it did not keep. */
    private static final String TEAM_MEMBERS = "team-members";

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
            boolean filled = !jdbc.queryForList("select done from access_backfill", Boolean.class).isEmpty();
            if (!filled) {
                replay("'workspace', 'user', 'api-key', 'team'");
                jdbc.update("insert into access_backfill (done) values (true)");
            } else if (jdbc.queryForList("select 1 from access_backfill_step where step = ?", Integer.class,
                    TEAM_MEMBERS).isEmpty()) {
                // filled by a version that did not keep team members: the team events fill them (and change
                // nothing else, their other handlers write what is there already)
                replay("'team'");
            }
            jdbc.update("insert into access_backfill_step (step) values (?) on conflict do nothing", TEAM_MEMBERS);
        });
    }

    private void replay(String types) {
        List<String> ids = jdbc.queryForList("select aggregate_id from aggregate_directory where aggregate_type in ("
                + types + ")", String.class);
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
        if (!ids.isEmpty()) {
            log.info("filled access from the events of {} aggregates of the types {}", ids.size(), types);
        }
    }
}
