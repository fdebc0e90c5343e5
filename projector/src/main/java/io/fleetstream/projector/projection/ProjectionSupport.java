package io.fleetstream.projector.projection;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** What every projection needs besides its own code: positions, parking, its transaction and its metrics. */
@Component
public record ProjectionSupport(Positions positions, ParkedRecords parked, TransactionTemplate transaction,
        ProjectionMetrics metrics) {
}
