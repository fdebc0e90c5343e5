package io.fleetstream.gateway.device;

import static io.fleetstream.schemas.readmodel.Tables.DEVICE;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fleetstream.gateway.GatewayProperties;
import java.util.Optional;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * Checks device tokens against the devices read model (by SHA-256, through a unique index). A
 * decommissioned device's token stops working as soon as its event is published ({@link DeviceRevocations}).
 *
 * <p>Successful checks are remembered for a short while (keyed by the token's hash, never the token), so a
 * fleet reconnecting after a network outage does not query the database once per device. Revocations
 * evict a device at once and are checked on every hit as well; failed checks are never remembered, so a
 * device registered a moment ago connects as soon as the read model has it.
 */
@Component
public class DeviceCredentials {

    private final DSLContext db;
    private final DeviceRevocations revocations;
    private final Cache<String, AuthenticatedDevice> byTokenHash;

    DeviceCredentials(DSLContext db, DeviceRevocations revocations, GatewayProperties properties) {
        this.db = db;
        this.revocations = revocations;
        this.byTokenHash = Caffeine.newBuilder()
                .expireAfterWrite(properties.deviceCache().ttl())
                .maximumSize(properties.deviceCache().size())
                .build();
        revocations.onRevoked(deviceId -> byTokenHash.asMap().values().removeIf(d -> d.deviceId().equals(deviceId)));
    }

    /** The live device this token belongs to. */
    public Optional<AuthenticatedDevice> authenticate(String token) {
        if (!DeviceTokens.plausible(token)) {
            return Optional.empty();
        }
        String hash = DeviceTokens.hash(token);
        AuthenticatedDevice known = byTokenHash.getIfPresent(hash);
        if (known == null) {
            known = db.select(DEVICE.DEVICE_ID, DEVICE.WORKSPACE_ID).from(DEVICE)
                    .where(DEVICE.TOKEN_HASH.eq(hash), DEVICE.STATUS.eq("ACTIVE"))
                    .fetchOptional(r -> new AuthenticatedDevice(r.value1().toString(), r.value2()))
                    .orElse(null);
            if (known == null) {
                return Optional.empty();
            }
            byTokenHash.put(hash, known);
        }
        return Optional.of(known).filter(device -> !revocations.isRevoked(device.deviceId()));
    }

    /** The live device with this id, if the token is its own. */
    public Optional<AuthenticatedDevice> authenticate(String deviceId, String token) {
        return authenticate(token).filter(device -> device.deviceId().equals(deviceId));
    }
}
