package io.fleetstream.query.history;

import io.fleetstream.support.errors.HistoryErrors;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.web.FleetException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** History and earlier states of any aggregate, as the read routes of every feature answer them. */
@Component
public class HistoryReads {

    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final AggregateHistory history;

    HistoryReads(AggregateHistory history) {
        this.history = history;
    }

    /** The aggregate's events after a sequence; empty when the caller's workspace never had it. */
    public Optional<List<HistoryEntry>> events(Grant grant, String aggregateType, String aggregateId, long after,
            int limit) {
        return history.events(grant.workspaceId().toString(), aggregateType, aggregateId, after, limit);
    }

    /**
     * The aggregate as its read model showed it right after its last event at or before {@code at}; empty
     * when it did not exist in the caller's workspace then.
     */
    public Optional<JsonNode> stateAt(Grant grant, String aggregateType, String aggregateId, String at) {
        return stateAt(grant.workspaceId().toString(), aggregateType, aggregateId, at);
    }

    /** The same, for a caller whose access to the workspace was checked already. */
    public Optional<JsonNode> stateAt(String workspaceId, String aggregateType, String aggregateId, String at) {
        Instant instant = instant(at);
        return history.stateAt(workspaceId, aggregateType, aggregateId, instant).map(state -> {
            if (state.state() == null) {
                throw new FleetException(HistoryErrors.STATE_UNRECORDED, "The " + aggregateType + "'s state after its event "
                        + state.version() + " (" + state.since() + ") was not recorded.");
            }
            return state.state();
        });
    }

    static Instant instant(String value) {
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new FleetException(HistoryErrors.BAD_INSTANT, "'at' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z.");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new FleetException(HistoryErrors.BAD_INSTANT, "'at' must lie between " + EARLIEST + " and " + LATEST + ".");
        }
        return instant;
    }
}
