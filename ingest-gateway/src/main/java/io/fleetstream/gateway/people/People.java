package io.fleetstream.gateway.people;

import static io.fleetstream.schemas.readmodel.Tables.APP_USER;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fleetstream.gateway.command.CommandBus;
import io.fleetstream.schemas.ConsistencyToken;
import io.fleetstream.schemas.command.Actor;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.schemas.readmodel.tables.records.AppUserRecord;
import io.fleetstream.schemas.user.GrantPlatformAdmin;
import io.fleetstream.schemas.user.RegisterUser;
import io.fleetstream.schemas.user.UpdateUserClaims;
import io.fleetstream.support.errors.UserErrors;
import io.fleetstream.support.security.Person;
import io.fleetstream.support.web.FleetException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.apache.avro.specific.SpecificRecord;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * The people who call the API become users on first sight: the gateway registers a person the first
 * time a token names them (and records what their token says of them when it changes), as the platform
 * itself. A person seen a moment ago is remembered, so this costs nothing on the next requests.
 */
@Component
public class People {

    private static final Actor PLATFORM_ACTOR = Actor.newBuilder().setKind(ActorKind.SYSTEM).setId("ingest-gateway").build();

    private final DSLContext db;
    private final CommandBus commands;
    private final PeopleProperties properties;
    /** User id to what their token said when last seen. */
    private final Cache<UUID, Integer> seen = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();

    People(DSLContext db, CommandBus commands, PeopleProperties properties) {
        this.db = db;
        this.commands = commands;
        this.properties = properties;
    }

    /**
     * Makes sure the person is a user as their token names them; the consistency token of the change when
     * there was one (send it with the next read, so that the read sees the user).
     */
    public Optional<ConsistencyToken> ensure(Person person) {
        int claims = Objects.hash(person.email(), person.emailVerified(), person.name(), configuredAdmin(person));
        Integer before = seen.getIfPresent(person.userId());
        if (before != null && before == claims) {
            return Optional.empty();
        }
        AppUserRecord known = db.selectFrom(APP_USER).where(APP_USER.USER_ID.eq(person.userId())).fetchOne();
        Optional<ConsistencyToken> change;
        if (known == null) {
            change = send(RegisterUser.newBuilder().setUserId(person.userId().toString()).setIssuer(person.issuer())
                    .setSubject(person.subject()).setEmail(person.email()).setEmailVerified(person.emailVerified())
                    .setName(person.name()).setPlatformAdmin(configuredAdmin(person)).build());
        } else {
            change = Optional.empty();
            if (!Objects.equals(known.getEmail(), person.email()) || known.getEmailVerified() != person.emailVerified()
                    || !Objects.equals(known.getClaimedName(), person.name())) {
                change = send(UpdateUserClaims.newBuilder().setUserId(person.userId().toString()).setEmail(person.email())
                        .setEmailVerified(person.emailVerified()).setName(person.name()).build());
            }
            if (configuredAdmin(person) && !known.getPlatformAdmin()) {
                change = send(GrantPlatformAdmin.newBuilder().setUserId(person.userId().toString()).build());
            }
        }
        seen.put(person.userId(), claims);
        return change;
    }

    /** Whether the person administers the platform: named in the settings, or granted by another. */
    public boolean isPlatformAdmin(Person person) {
        return configuredAdmin(person) || db.select(APP_USER.PLATFORM_ADMIN).from(APP_USER)
                .where(APP_USER.USER_ID.eq(person.userId())).fetchOptional(APP_USER.PLATFORM_ADMIN).orElse(false);
    }

    /** Whether the person may create workspaces. */
    public boolean mayCreateWorkspaces(Person person) {
        return properties.workspaceCreators().equals("everyone") || isPlatformAdmin(person);
    }

    /**
     * Named in the settings: an entry with '@' names a verified e-mail address (compared without case), any
     * other the token's subject (tokens come from the one configured issuer, so a subject is that issuer's).
     */
    private boolean configuredAdmin(Person person) {
        return configuredAdmin(person.subject(), person.email(), person.emailVerified());
    }

    /** The same for a user as last seen. */
    boolean configuredAdmin(AppUserRecord user) {
        return configuredAdmin(user.getSubject(), user.getEmail(), user.getEmailVerified());
    }

    private boolean configuredAdmin(String subject, String email, boolean emailVerified) {
        for (String entry : properties.platformAdmins()) {
            if (entry.contains("@")) {
                if (email != null && emailVerified && entry.equalsIgnoreCase(email)) {
                    return true;
                }
            } else if (entry.equals(subject)) {
                return true;
            }
        }
        return false;
    }

    private Optional<ConsistencyToken> send(SpecificRecord command) {
        try {
            return Optional.of(commands.send(CommandBus.PLATFORM, PLATFORM_ACTOR, command).join().consistency());
        } catch (CompletionException e) {
            if (e.getCause() instanceof FleetException fleet && fleet.error().code().equals(UserErrors.EXISTS.code())) {
                return Optional.empty(); // seen for the first time by another gateway a moment ago
            }
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
