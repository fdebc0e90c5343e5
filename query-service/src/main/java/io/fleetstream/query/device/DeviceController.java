package io.fleetstream.query.device;

import io.fleetstream.schemas.readmodel.tables.records.DeviceRecord;
import io.fleetstream.support.security.Caller;
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
@RequestMapping("/v1/devices")
@Tag(name = "Devices")
class DeviceController {

    private final DeviceQueries queries;
    private final DeviceAccess access;

    DeviceController(DeviceQueries queries, DeviceAccess access) {
        this.queries = queries;
        this.access = access;
    }

    @GetMapping
    @Operation(summary = "List the workspace's devices", description = "Ordered by name; keyset paging with 'cursor'.")
    DevicePage list(Caller caller,
            @Parameter(description = "active (default), decommissioned or all") @RequestParam(defaultValue = "active") String status,
            @RequestParam(required = false) String type,
            @Parameter(description = "devices whose name starts with this") @RequestParam(required = false) String namePrefix,
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
        return queries.list(caller.workspaceId(), statusFilter(status), type, namePrefix, cursor, limit);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One device, with its last-seen time and latest metric values")
    DeviceView get(Caller caller, @PathVariable String id) {
        DeviceRecord device = access.live(caller, id);
        return queries.withMetrics(device);
    }

    @GetMapping("/{id}/history")
    @Operation(summary = "The device's events in order; stays available after decommissioning")
    List<HistoryEntry> history(Caller caller, @PathVariable String id,
            @Parameter(description = "only events after this sequence") @RequestParam(defaultValue = "-1") long after,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new FleetException(DeviceErrors.BAD_QUERY, "limit must be between 1 and 1000");
        }
        return queries.history(caller.workspaceId(), DeviceAccess.parseId(id), after, limit)
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
