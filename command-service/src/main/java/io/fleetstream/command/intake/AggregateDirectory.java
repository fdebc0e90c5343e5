package io.fleetstream.command.intake;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which aggregate exists, of which type, in which workspace: written by the first event of every
 * aggregate, in the subscribing processing group {@value #GROUP}, inside the creating command's own
 * transaction. {@link CommandGuard} reads it before any handler runs.
 */
@Component
@ProcessingGroup(AggregateDirectory.GROUP)
public class AggregateDirectory {

    public static final String GROUP = "aggregate-directory";

    /** An aggregate's type and the workspace it belongs to. */
    public record Entry(String aggregateType, String workspaceId) {
    }

    private final JdbcTemplate jdbc;
    /**
     * Entries read before: an aggregate's type and workspace do not change. Only entries found are kept (an
     * aggregate created a moment later must be seen), and the intake forgets them all when a batch rolls back.
     */
    private final Cache<String, Entry> known = Caffeine.newBuilder().maximumSize(200_000).build();

    AggregateDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Forgets every entry read, for when a transaction that may have written some rolled back. */
    public void forgetAll() {
        known.invalidateAll();
    }

    @EventHandler
    void on(Object payload, DomainEventMessage<?> event, @MetaDataValue(CommandMetadata.WORKSPACE_ID) String workspace) {
        if (event.getSequenceNumber() == 0) {
            // a second creation of the same id fails on the event store's own (id, sequence) key in this commit
            jdbc.update("""
                    insert into aggregate_directory (aggregate_id, aggregate_type, workspace_id) values (?, ?, ?)
                    on conflict do nothing""", event.getAggregateIdentifier(), event.getType(), workspace);
        }
    }

    /** The ids of the workspace's aggregates of the type. */
    public List<String> idsOf(String aggregateType, String workspaceId) {
        return jdbc.queryForList("select aggregate_id from aggregate_directory where aggregate_type = ? and workspace_id = ?"
                + " order by aggregate_id", String.class, aggregateType, workspaceId);
    }

    public Optional<Entry> find(String aggregateId) {
        Entry entry = known.getIfPresent(aggregateId);
        if (entry != null) {
            return Optional.of(entry);
        }
        Optional<Entry> found = jdbc.query("select aggregate_type, workspace_id from aggregate_directory where aggregate_id = ?",
                (rs, row) -> new Entry(rs.getString(1), rs.getString(2)), aggregateId).stream().findFirst();
        found.ifPresent(e -> known.put(aggregateId, e));
        return found;
    }
}
