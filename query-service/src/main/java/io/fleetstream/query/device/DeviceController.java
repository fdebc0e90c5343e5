package io.fleetstream.query.device;

import io.fleetstream.support.errors.DeviceErrors;
import io.fleetstream.query.history.HistoryEntry;
import io.fleetstream.query.history.HistoryReads;
import io.fleetstream.schemas.readmodel.tables.records.DeviceRecord;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.WorkspaceRoute;
import io.fleetstream.support.web.FleetException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/workspaces/{workspace}/devices")
@Tag(name = "Devices")
class DeviceController {

    private static final String AGGREGATE = "device";

    private final DeviceQueries queries;
    private final DeviceAccess access;
    private final HistoryReads history;

    DeviceController(DeviceQueries queries, DeviceAccess access, HistoryReads history) {
        this.queries = queries;
        this.access = access;
        this.history = history;
    }

    @GetMapping
    @Operation(summary = "List the workspace's devices", description = "Ordered by name; keyset paging with 'cursor'.")
    @WorkspaceRoute(scope = "devices:read")
    DevicePage list(Grant grant,
            @Parameter(description = "active (default), decommissioned or all") @RequestParam(defaultValue = "active") String status,
            @RequestParam(required = false) String type,
            @Parameter(description = "devices whose name starts with this") @RequestParam(required = false) String namePrefix,
            @Parameter(description = "devices of this team (its id)") @RequestParam(required = false) String team,
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 500) {
            throw new FleetException(DeviceErrors.BAD_QUERY, "limit must be between 1 and 500");
        }
        if (type != null && (type.isBlank() || type.length() > 64)) {
            throw new FleetException(DeviceErrors.BAD_QUERY, "type must be 1 to 64 characters");
        }
        if (namePrefix != null && namePrefix.length() > 200) {
            throw new FleetException(DeviceErrors.BAD_QUERY, "namePrefix must be at most 200 characters");
        }
        java.util.UUID teamId = null;
        if (team != null) {
            try {
                teamId = java.util.UUID.fromString(team);
            } catch (IllegalArgumentException e) {
                throw new FleetException(DeviceErrors.BAD_QUERY, "team must be a team's id");
            }
        }
        return queries.list(grant.workspaceId().toString(), statusFilter(status), type, namePrefix, teamId, cursor, limit);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One device, with its last-seen time and latest metric values",
            description = "With 'at', the device as it was at that instant, rebuilt from its events (for audit "
                    + "replay; also for a decommissioned device): its fields and version then, without telemetry.")
    @WorkspaceRoute(scope = "devices:read")
    Object get(Grant grant, @PathVariable String id,
            @Parameter(description = "an ISO-8601 instant, e.g. 2026-12-01T08:00:00Z") @RequestParam(required = false) String at) {
        if (at != null) {
            return history.stateAt(grant, AGGREGATE, DeviceAccess.parseId(id).toString(), at)
                    .orElseThrow(() -> DeviceAccess.notFound(id));
        }
        DeviceRecord device = access.live(grant, id);
        return queries.withMetrics(device);
    }

    @GetMapping("/{id}/history")
    @Operation(summary = "The device's events in order; stays available after decommissioning")
    @WorkspaceRoute(scope = "devices:read")
    List<HistoryEntry> history(Grant grant, @PathVariable String id,
            @Parameter(description = "only events after this sequence") @RequestParam(defaultValue = "-1") long after,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new FleetException(DeviceErrors.BAD_QUERY, "limit must be between 1 and 1000");
        }
        return history.events(grant, AGGREGATE, DeviceAccess.parseId(id).toString(), after, limit)
                .orElseThrow(() -> DeviceAccess.notFound(id));
    }

    private static DeviceQueries.StatusFilter statusFilter(String status) {
        try {
            return DeviceQueries.StatusFilter.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FleetException(DeviceErrors.BAD_QUERY, "status must be active, decommissioned or all");
        }
    }
}
