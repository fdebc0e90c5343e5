package io.fleetstream.projector.user;

import static io.fleetstream.schemas.readmodel.Tables.APP_USER;

import io.fleetstream.projector.projection.EventProjection;
import io.fleetstream.projector.projection.EventSupport;
import io.fleetstream.schemas.user.PlatformAdminGranted;
import io.fleetstream.schemas.user.PlatformAdminRevoked;
import io.fleetstream.schemas.user.UserClaimsUpdated;
import io.fleetstream.schemas.user.UserProfileUpdated;
import io.fleetstream.schemas.user.UserRegistered;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/** The people who use Fleetstream, with their claims, profiles and whether they administer the platform. */
@Component
public class UserProjection extends EventProjection {

    public static final String NAME = "projector-users";

    UserProjection(EventSupport support) {
        super(NAME, Set.of("user"), List.of(APP_USER), support);
        on(UserRegistered.class, this::registered);
        on(UserClaimsUpdated.class, e -> {
            boolean fresh = db().update(APP_USER).set(APP_USER.EMAIL, e.payload().getEmail())
                    .set(APP_USER.EMAIL_VERIFIED, e.payload().getEmailVerified())
                    .set(APP_USER.CLAIMED_NAME, e.payload().getName())
                    .set(APP_USER.VERSION, e.sequence()).set(APP_USER.UPDATED_AT, e.at())
                    .where(APP_USER.USER_ID.eq(e.uuid()), APP_USER.VERSION.lt(e.sequence())).execute() == 1;
            return new Change(fresh, "user.updated", data("email", e.payload().getEmail(), "name", e.payload().getName()));
        });
        on(UserProfileUpdated.class, e -> {
            boolean fresh = db().update(APP_USER).set(APP_USER.NAME, e.payload().getName())
                    .set(APP_USER.DEFAULT_WORKSPACE, e.payload().getDefaultWorkspace())
                    .set(APP_USER.TIMEZONE, e.payload().getTimezone())
                    .set(APP_USER.VERSION, e.sequence()).set(APP_USER.UPDATED_AT, e.at())
                    .where(APP_USER.USER_ID.eq(e.uuid()), APP_USER.VERSION.lt(e.sequence())).execute() == 1;
            return new Change(fresh, "user.updated", data("name", e.payload().getName(), "defaultWorkspace",
                    e.payload().getDefaultWorkspace(), "timezone", e.payload().getTimezone()));
        });
        on(PlatformAdminGranted.class, e -> {
            boolean fresh = db().update(APP_USER).set(APP_USER.PLATFORM_ADMIN, true)
                    .set(APP_USER.VERSION, e.sequence()).set(APP_USER.UPDATED_AT, e.at())
                    .where(APP_USER.USER_ID.eq(e.uuid()), APP_USER.VERSION.lt(e.sequence())).execute() == 1;
            return new Change(fresh, "user.platform-admin-granted", Map.of());
        });
        on(PlatformAdminRevoked.class, e -> {
            boolean fresh = db().update(APP_USER).set(APP_USER.PLATFORM_ADMIN, false)
                    .set(APP_USER.VERSION, e.sequence()).set(APP_USER.UPDATED_AT, e.at())
                    .where(APP_USER.USER_ID.eq(e.uuid()), APP_USER.VERSION.lt(e.sequence())).execute() == 1;
            return new Change(fresh, "user.platform-admin-revoked", Map.of());
        });
    }

    /** People are nobody's workspace news: their changes are not pushed on any workspace's stream. */
    @Override
    protected boolean announces() {
        return false;
    }

    private Change registered(Event<UserRegistered> event) {
        UserRegistered e = event.payload();
        int changed = db().insertInto(APP_USER)
                .set(APP_USER.USER_ID, event.uuid())
                .set(APP_USER.ISSUER, e.getIssuer())
                .set(APP_USER.SUBJECT, e.getSubject())
                .set(APP_USER.EMAIL, e.getEmail())
                .set(APP_USER.EMAIL_VERIFIED, e.getEmailVerified())
                .set(APP_USER.CLAIMED_NAME, e.getName())
                .set(APP_USER.PLATFORM_ADMIN, e.getPlatformAdmin())
                .set(APP_USER.VERSION, event.sequence())
                .set(APP_USER.REGISTERED_AT, event.at())
                .set(APP_USER.UPDATED_AT, event.at())
                .onConflict(APP_USER.USER_ID).doNothing()
                .execute();
        return new Change(changed > 0, "user.created", data("email", e.getEmail(), "name", e.getName(),
                "platformAdmin", e.getPlatformAdmin()));
    }

    /** Pairs of name and value, the nulls left out. */
    private static Map<String, Object> data(Object... pairs) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                data.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return data;
    }

    @Override
    protected Optional<Object> state(Event<?> event) {
        return db().selectFrom(APP_USER).where(APP_USER.USER_ID.eq(event.uuid())).fetchOptional().map(u -> {
            Map<String, Object> view = data("id", u.getUserId().toString(), "email", u.getEmail(),
                    "emailVerified", u.getEmailVerified(), "name", u.getName() != null ? u.getName() : u.getClaimedName(),
                    "defaultWorkspace", u.getDefaultWorkspace(), "timezone", u.getTimezone(),
                    "platformAdmin", u.getPlatformAdmin(), "version", u.getVersion());
            return view;
        });
    }
}
