package io.fleetstream.gateway.device;

import static io.fleetstream.schemas.readmodel.Tables.DEVICE;

import java.util.Optional;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * Checks device tokens against the devices read model (by SHA-256, through a unique index). A
 * decommissioned device's token stops working as soon as the projector applied the decommissioning.
 */
@Component
public class DeviceCredentials {

    private final DSLContext db;

    DeviceCredentials(DSLContext db) {
        this.db = db;
    }

    /** The live device this token belongs to. */
    public Optional<AuthenticatedDevice> authenticate(String token) {
        if (!DeviceTokens.plausible(token)) {
            return Optional.empty();
        }
        return db.select(DEVICE.DEVICE_ID, DEVICE.WORKSPACE_ID).from(DEVICE)
                .where(DEVICE.TOKEN_HASH.eq(DeviceTokens.hash(token)), DEVICE.STATUS.eq("ACTIVE"))
                .fetchOptional(r -> new AuthenticatedDevice(r.value1().toString(), r.value2()));
    }

    /** The live device with this id, if the token is its own. */
    public Optional<AuthenticatedDevice> authenticate(String deviceId, String token) {
        return authenticate(token).filter(device -> device.deviceId().equals(deviceId));
    }
}
