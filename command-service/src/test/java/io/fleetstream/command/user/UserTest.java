package io.fleetstream.command.user;

import static io.fleetstream.command.intake.Commands.by;
import static io.fleetstream.command.intake.Commands.bySystem;
import static io.fleetstream.command.intake.Commands.past;
import static io.fleetstream.command.intake.Commands.rejected;

import io.fleetstream.command.intake.CommandTargets;
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
import java.util.UUID;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserTest {

    private static final String PLATFORM = "platform";
    private final String id = UUID.randomUUID().toString();
    private AggregateTestFixture<User> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(User.class);
        fixture.registerCommandTargetResolver(new CommandTargets());
    }

    private EventMessage<?> registered() {
        return past(PLATFORM, UserRegistered.newBuilder().setUserId(id).setIssuer("http://issuer").setSubject("alice")
                .setEmail("alice@example.com").setEmailVerified(true).setName("Alice").setPlatformAdmin(false).build());
    }

    @Test
    void aPersonSeenForTheFirstTime_isRegisteredAsTheTokenNamesThem() {
        fixture.givenNoPriorActivity()
                .when(RegisterUser.newBuilder().setUserId(id).setIssuer("http://issuer").setSubject("alice")
                        .setEmail("alice@example.com").setEmailVerified(true).setName("Alice").setPlatformAdmin(true)
                        .build(), bySystem(PLATFORM))
                .expectEvents(UserRegistered.newBuilder().setUserId(id).setIssuer("http://issuer").setSubject("alice")
                        .setEmail("alice@example.com").setEmailVerified(true).setName("Alice").setPlatformAdmin(true)
                        .build());
    }

    @Test
    void claimsThatDidNotChange_recordNothing_andChangedOnesAreRecorded() {
        fixture.given(registered())
                .when(UpdateUserClaims.newBuilder().setUserId(id).setEmail("alice@example.com").setEmailVerified(true)
                        .setName("Alice").build(), bySystem(PLATFORM))
                .expectNoEvents();
        fixture.given(registered())
                .when(UpdateUserClaims.newBuilder().setUserId(id).setEmail("alice@example.org").setEmailVerified(false)
                        .setName("Alice").build(), bySystem(PLATFORM))
                .expectEvents(UserClaimsUpdated.newBuilder().setUserId(id).setEmail("alice@example.org")
                        .setEmailVerified(false).setName("Alice").build());
    }

    @Test
    void aProfile_isChangedOnlyByItsPerson() {
        fixture.given(registered())
                .when(UpdateUserProfile.newBuilder().setUserId(id).setName("Al").setDefaultWorkspace(null)
                        .setTimezone("Europe/Paris").build(), by(PLATFORM, id))
                .expectEvents(UserProfileUpdated.newBuilder().setUserId(id).setName("Al").setDefaultWorkspace(null)
                        .setTimezone("Europe/Paris").build());
        fixture.given(registered())
                .when(UpdateUserProfile.newBuilder().setUserId(id).setName("Mallory").setDefaultWorkspace(null)
                        .setTimezone(null).build(), by(PLATFORM, UUID.randomUUID().toString()))
                .expectException(rejected(UserErrors.NOT_YOURS))
                .expectNoEvents();
        fixture.given(registered())
                .when(UpdateUserProfile.newBuilder().setUserId(id).setName(null).setDefaultWorkspace(null)
                        .setTimezone("Nowhere/Else").build(), by(PLATFORM, id))
                .expectException(rejected(UserErrors.INVALID));
    }

    @Test
    void grantingPlatformAdmin_isRecordedOnce() {
        fixture.given(registered())
                .when(GrantPlatformAdmin.newBuilder().setUserId(id).build(), bySystem(PLATFORM))
                .expectEvents(PlatformAdminGranted.newBuilder().setUserId(id).build());
        fixture.given(registered(), past(PLATFORM, PlatformAdminGranted.newBuilder().setUserId(id).build()))
                .when(GrantPlatformAdmin.newBuilder().setUserId(id).build(), bySystem(PLATFORM))
                .expectNoEvents();
    }

    @Test
    void revokingPlatformAdmin_isRecordedOnce_andNeverByTheAdminThemself() {
        EventMessage<?> granted = past(PLATFORM, PlatformAdminGranted.newBuilder().setUserId(id).build());
        String other = UUID.randomUUID().toString();
        fixture.given(registered(), granted)
                .when(RevokePlatformAdmin.newBuilder().setUserId(id).build(), by(PLATFORM, other))
                .expectEvents(PlatformAdminRevoked.newBuilder().setUserId(id).build());
        fixture.given(registered())
                .when(RevokePlatformAdmin.newBuilder().setUserId(id).build(), by(PLATFORM, other))
                .expectNoEvents();
        fixture.given(registered(), granted)
                .when(RevokePlatformAdmin.newBuilder().setUserId(id).build(), by(PLATFORM, id))
                .expectException(rejected(UserErrors.OWN_ADMINISTRATION));
    }
}
