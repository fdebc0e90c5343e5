package io.fleetstream.gateway.people;

import io.fleetstream.gateway.command.CommandBus;
import io.fleetstream.schemas.ConsistencyToken;
import static io.fleetstream.schemas.readmodel.Tables.APP_USER;

import io.fleetstream.schemas.readmodel.tables.records.AppUserRecord;
import io.fleetstream.schemas.user.GrantPlatformAdmin;
import io.fleetstream.schemas.user.RevokePlatformAdmin;
import io.fleetstream.schemas.user.UpdateUserProfile;
import io.fleetstream.support.errors.UserErrors;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import io.fleetstream.support.web.PathIds;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import io.fleetstream.support.security.Person;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A person's own profile, and platform administration granted by platform administrators. */
@RestController
@Tag(name = "Users")
class UserWriteController {

    private final CommandBus commands;
    private final People people;
    private final DSLContext db;

    UserWriteController(CommandBus commands, People people, DSLContext db) {
        this.commands = commands;
        this.people = people;
        this.db = db;
    }

    /** What may change; absent fields stay as they are. */
    record ProfileChange(@Nullable String name, @Nullable String defaultWorkspace, @Nullable String timezone) {
    }

    @PatchMapping(path = "/v1/user", consumes = {"application/json", "application/merge-patch+json"})
    @Operation(summary = "Change your name, default workspace or timezone")
    CompletableFuture<ResponseEntity<Map<String, Object>>> update(Person person, @RequestBody ProfileChange change) {
        people.ensure(person);
        UpdateUserProfile command = UpdateUserProfile.newBuilder().setUserId(person.userId().toString())
                .setName(change.name()).setDefaultWorkspace(change.defaultWorkspace()).setTimezone(change.timezone())
                .build();
        return commands.send(CommandBus.PLATFORM, person, command).thenApply(accepted -> ResponseEntity.ok()
                .header(ConsistencyToken.HEADER, accepted.consistency().toString())
                .body(Map.<String, Object>of("id", person.userId().toString(), "version", accepted.consistency().version())));
    }

    @PutMapping("/v1/users/{userId}/platform-admin")
    @Operation(summary = "Make a user a platform administrator (platform administrators only)")
    CompletableFuture<ResponseEntity<Map<String, Object>>> grantPlatformAdmin(Person person, @PathVariable String userId) {
        AppUserRecord user = administrable(person, userId);
        return answer(commands.send(CommandBus.PLATFORM, person,
                GrantPlatformAdmin.newBuilder().setUserId(user.getUserId().toString()).build()), user, true);
    }

    @DeleteMapping("/v1/users/{userId}/platform-admin")
    @Operation(summary = "Take platform administration from a user (platform administrators only; not from oneself, "
            + "nor from those named in FLEET_PLATFORM_ADMINS)")
    CompletableFuture<ResponseEntity<Map<String, Object>>> revokePlatformAdmin(Person person, @PathVariable String userId) {
        AppUserRecord user = administrable(person, userId);
        if (people.configuredAdmin(user)) {
            throw new FleetException(UserErrors.CONFIGURED_ADMIN, "User " + userId
                    + " is named in FLEET_PLATFORM_ADMINS; the gateways would grant it again.");
        }
        return answer(commands.send(CommandBus.PLATFORM, person,
                RevokePlatformAdmin.newBuilder().setUserId(user.getUserId().toString()).build()), user, false);
    }

    /** The user whose administration a platform administrator changes. */
    private AppUserRecord administrable(Person person, String userId) {
        people.ensure(person);
        if (!people.isPlatformAdmin(person)) {
            throw new FleetException(CommonErrors.FORBIDDEN, "Only platform administrators grant or revoke platform "
                    + "administration.");
        }
        UUID id = PathIds.uuid(userId, UserErrors.NOT_FOUND, "user");
        AppUserRecord user = db.selectFrom(APP_USER).where(APP_USER.USER_ID.eq(id)).fetchOne();
        if (user == null) {
            throw new FleetException(UserErrors.NOT_FOUND, "No user " + userId + ".");
        }
        return user;
    }

    private static CompletableFuture<ResponseEntity<Map<String, Object>>> answer(
            CompletableFuture<CommandBus.Accepted> sent, AppUserRecord user, boolean platformAdmin) {
        return sent.thenApply(accepted -> ResponseEntity.ok()
                .header(ConsistencyToken.HEADER, accepted.consistency().toString())
                .body(Map.<String, Object>of("id", user.getUserId().toString(), "platformAdmin", platformAdmin,
                        "version", accepted.consistency().version())));
    }
}
