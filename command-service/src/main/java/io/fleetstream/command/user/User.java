package io.fleetstream.command.user;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.fleetstream.command.intake.CommandMetadata;
import io.fleetstream.command.intake.CommandRejectedException;
import io.fleetstream.command.intake.CommandTargets;
import io.fleetstream.schemas.TimeZones;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.schemas.user.GrantPlatformAdmin;
import io.fleetstream.schemas.user.PlatformAdminGranted;
import io.fleetstream.schemas.user.PlatformAdminRevoked;
import io.fleetstream.schemas.user.RevokePlatformAdmin;
import io.fleetstream.schemas.user.RegisterUser;
import io.fleetstream.schemas.user.UpdateUserClaims;
import io.fleetstream.schemas.user.UpdateUserProfile;
import io.fleetstream.schemas.user.UserClaimsUpdated;
import io.fleetstream.schemas.user.UserProfileUpdated;
import io.fleetstream.schemas.user.UserRegistered;
import io.fleetstream.support.errors.UserErrors;
import java.util.Objects;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A person, registered the first time a token names them (issuer and subject), with what the token says
 * of them and the profile they keep themselves; and whether they administer the platform.
 */
@Aggregate(type = "user", commandTargetResolver = CommandTargets.BEAN, cache = CommandTargets.CACHE)
class User {

    @AggregateIdentifier
    private String userId;
    private String email;
    private boolean emailVerified;
    private String claimedName;
    private String name;
    private String defaultWorkspace;
    private String timezone;
    private boolean platformAdmin;

    protected User() {
        // for Axon's event sourcing
    }

    @CommandHandler
    User(RegisterUser command) {
        apply(UserRegistered.newBuilder()
                .setUserId(command.getUserId())
                .setIssuer(command.getIssuer())
                .setSubject(command.getSubject())
                .setEmail(command.getEmail())
                .setEmailVerified(command.getEmailVerified())
                .setName(command.getName())
                .setPlatformAdmin(command.getPlatformAdmin())
                .build());
    }

    @CommandHandler
    void handle(UpdateUserClaims command) {
        if (Objects.equals(email, command.getEmail()) && emailVerified == command.getEmailVerified()
                && Objects.equals(claimedName, command.getName())) {
            return; // what the token says is what was known: no event
        }
        apply(UserClaimsUpdated.newBuilder().setUserId(userId).setEmail(command.getEmail())
                .setEmailVerified(command.getEmailVerified()).setName(command.getName()).build());
    }

    @CommandHandler
    void handle(UpdateUserProfile command, MetaData metadata) {
        boolean self = ActorKind.USER.name().equals(metadata.get(CommandMetadata.ACTOR_KIND))
                && userId.equals(metadata.get(CommandMetadata.ACTOR_ID));
        if (!self) {
            throw new CommandRejectedException(UserErrors.NOT_YOURS, "Only user " + userId + " may change their profile");
        }
        String newName = command.getName() == null ? name : command.getName();
        String newDefault = command.getDefaultWorkspace() == null ? defaultWorkspace : command.getDefaultWorkspace();
        String newTimezone = command.getTimezone() == null ? timezone : command.getTimezone();
        if (command.getTimezone() != null && !TimeZones.isKnown(command.getTimezone())) {
            throw new CommandRejectedException(UserErrors.INVALID, "timezone must be an IANA time zone such as "
                    + "Europe/Berlin or UTC");
        }
        if (Objects.equals(newName, name) && Objects.equals(newDefault, defaultWorkspace)
                && Objects.equals(newTimezone, timezone)) {
            return;
        }
        apply(UserProfileUpdated.newBuilder().setUserId(userId).setName(newName).setDefaultWorkspace(newDefault)
                .setTimezone(newTimezone).build());
    }

    @CommandHandler
    void handle(GrantPlatformAdmin command) {
        if (!platformAdmin) {
            apply(PlatformAdminGranted.newBuilder().setUserId(userId).build());
        }
    }

    @CommandHandler
    void handle(RevokePlatformAdmin command, MetaData metadata) {
        if (ActorKind.USER.name().equals(metadata.get(CommandMetadata.ACTOR_KIND))
                && userId.equals(metadata.get(CommandMetadata.ACTOR_ID))) {
            throw new CommandRejectedException(UserErrors.OWN_ADMINISTRATION,
                    "User " + userId + " cannot revoke their own platform administration");
        }
        if (platformAdmin) {
            apply(PlatformAdminRevoked.newBuilder().setUserId(userId).build());
        }
    }

    @EventSourcingHandler
    void on(UserRegistered event) {
        userId = event.getUserId();
        email = event.getEmail();
        emailVerified = event.getEmailVerified();
        claimedName = event.getName();
        platformAdmin = event.getPlatformAdmin();
    }

    @EventSourcingHandler
    void on(UserClaimsUpdated event) {
        email = event.getEmail();
        emailVerified = event.getEmailVerified();
        claimedName = event.getName();
    }

    @EventSourcingHandler
    void on(UserProfileUpdated event) {
        name = event.getName();
        defaultWorkspace = event.getDefaultWorkspace();
        timezone = event.getTimezone();
    }

    @EventSourcingHandler
    void on(PlatformAdminGranted event) {
        platformAdmin = true;
    }

    @EventSourcingHandler
    void on(PlatformAdminRevoked event) {
        platformAdmin = false;
    }
}
