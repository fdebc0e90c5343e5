package io.fleetstream.projector.projection;

import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * The projections' part of {@code /v1/health}: DEGRADED (answered 200) while any record is parked — the
 * read models lack what it says — and DOWN when the database that holds them cannot be asked.
 */
@Component("projections")
class ProjectionHealth implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "records are parked; see ./fleet projections");

    private final ParkedRecords parked;

    ProjectionHealth(ParkedRecords parked) {
        this.parked = parked;
    }

    @Override
    public Health health() {
        Map<String, Integer> counts = parked.counts();
        if (counts.isEmpty()) {
            return Health.up().build();
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        return Health.status(DEGRADED)
                .withDetail("reason", total + " record(s) parked: the read models lack what they say. "
                        + "List, retry or skip them with ./fleet projections.")
                .withDetail("parked", counts)
                .build();
    }
}
