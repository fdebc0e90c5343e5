package io.fleetstream.query.device;

import io.fleetstream.support.errors.DeviceErrors;
import io.fleetstream.schemas.readmodel.tables.records.DeviceRecord;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.web.FleetException;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Resolves a device id from a request path to a device the caller may see. */
@Component
public class DeviceAccess {

    private final DeviceQueries queries;

    DeviceAccess(DeviceQueries queries) {
        this.queries = queries;
    }

    /** The device if it exists in the caller's workspace and is not decommissioned. */
    public DeviceRecord live(Grant grant, String id) {
        DeviceRecord device = queries.find(grant.workspaceId().toString(), parseId(id)).orElseThrow(() -> notFound(id));
        if ("DECOMMISSIONED".equals(device.getStatus())) {
            throw new FleetException(DeviceErrors.DECOMMISSIONED, "Device " + id + " was decommissioned at "
                    + device.getDecommissionedAt().toInstant() + ".");
        }
        return device;
    }

    public static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
    }

    public static FleetException notFound(String id) {
        return new FleetException(DeviceErrors.NOT_FOUND, "No device " + io.fleetstream.support.web.ClientText.echo(id, 40) + " in this workspace.");
    }

}
