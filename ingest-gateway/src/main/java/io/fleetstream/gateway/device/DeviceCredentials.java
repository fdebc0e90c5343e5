package io.fleetstream.gateway.device;

import static io.fleetstream.schemas.readmodel.Tables.DEVICE;

import java.util.Optional;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * Checks device tokens against the devices read model (by SHA-256, through a unique index). A
 * decommissioned device's token stops working as soon as its event is published ({@link DeviceRevocations}).
 */
@Component
public class DeviceCredentials {

    private final DSLContext db;
    private final DeviceRevocations revocations;

    DeviceCredentials(DSLContext db, DeviceRevocations revocations) {
        this.db = db;
        this.revocations = revocations;
    }

    /** The live device this token belongs to. */
    public Optional<AuthenticatedDevice> authenticate(String token) {
        if (!DeviceTokens.plausible(token)) {
            return Optional.empty();
        }
        return db.select(DEVICE.DEVICE_ID, DEVICE.WORKSPACE_ID).from(DEVICE)
                .where(DEVICE.TOKEN_HASH.eq(DeviceTokens.hash(token)), DEVICE.STATUS.eq("ACTIVE"))
                .fetchOptional(r -> new AuthenticatedDevice(r.value1().toString(), r.value2()))
                .filter(device -> !revocations.isRevoked(device.deviceId()));
    }

    /** The live device with this id, if the token is its own. */
    public Optional<AuthenticatedDevice> authenticate(String deviceId, String token) {
        return authenticate(token).filter(device -> device.deviceId().equals(deviceId));
    }
}
