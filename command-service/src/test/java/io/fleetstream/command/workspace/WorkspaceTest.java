package io.fleetstream.command.workspace;

import static io.fleetstream.command.intake.Commands.by;
import static io.fleetstream.command.intake.Commands.past;
import static io.fleetstream.command.intake.Commands.rejected;

import io.fleetstream.command.intake.CommandTargets;
import io.fleetstream.schemas.workspace.AddMember;
import io.fleetstream.schemas.workspace.ArchiveWorkspace;
import io.fleetstream.schemas.workspace.ChangeMemberRole;
import io.fleetstream.schemas.workspace.CreateWorkspace;
import io.fleetstream.schemas.workspace.DeleteWorkspace;
import io.fleetstream.schemas.workspace.MemberAdded;
import io.fleetstream.schemas.workspace.MemberRemoved;
import io.fleetstream.schemas.workspace.MemberRoleChanged;
import io.fleetstream.schemas.workspace.RemoveMember;
import io.fleetstream.schemas.workspace.RestoreWorkspace;
import io.fleetstream.schemas.workspace.UpdateWorkspace;
import io.fleetstream.schemas.workspace.WorkspaceArchived;
import io.fleetstream.schemas.workspace.WorkspaceCreated;
import io.fleetstream.schemas.workspace.WorkspaceDeleted;
import io.fleetstream.schemas.workspace.WorkspaceRestored;
import io.fleetstream.schemas.workspace.WorkspaceUpdated;
import io.fleetstream.support.errors.WorkspaceErrors;
import java.util.Map;
import io.fleetstream.schemas.workspace.AcceptInvitation;
import io.fleetstream.schemas.workspace.InvitationAccepted;
import io.fleetstream.schemas.workspace.InvitationWithdrawn;
import io.fleetstream.schemas.workspace.LeaveWorkspace;
import io.fleetstream.schemas.workspace.MemberInvited;
import io.fleetstream.schemas.workspace.WithdrawInvitation;
import io.fleetstream.support.web.CommonErrors;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkspaceTest {

    private final String id = UUID.randomUUID().toString();
    private final String owner = UUID.randomUUID().toString();
    private final String colleague = UUID.randomUUID().toString();
    private Map<String, Object> byOwner;
    private AggregateTestFixture<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Workspace.class);
        fixture.registerCommandTargetResolver(new CommandTargets());
        byOwner = by(id, owner);
    }

    private EventMessage<?> created() {
        return past(id, WorkspaceCreated.newBuilder().setWorkspaceId(id).setName("Acme").setSlug("acme")
                .setTimezone("UTC").setOwnerId(owner).build());
    }

    private EventMessage<?> member(String userId, String role) {
        return past(id, MemberAdded.newBuilder().setWorkspaceId(id).setUserId(userId).setRole(role).build());
    }

    private EventMessage<?> archived() {
        return past(id, WorkspaceArchived.newBuilder().setWorkspaceId(id).build());
    }

    @Test
    void create_makesItsCreatorTheOwner() {
        fixture.givenNoPriorActivity()
                .when(CreateWorkspace.newBuilder().setWorkspaceId(id).setName("Acme").setSlug("acme")
                        .setTimezone("Europe/Berlin").setOwnerId(owner).build(), byOwner)
                .expectEvents(WorkspaceCreated.newBuilder().setWorkspaceId(id).setName("Acme").setSlug("acme")
                                .setTimezone("Europe/Berlin").setOwnerId(owner).build(),
                        MemberAdded.newBuilder().setWorkspaceId(id).setUserId(owner).setRole("owner").build());
    }

    @Test
    void create_refusesATimezoneThatIsNone() {
        fixture.givenNoPriorActivity()
                .when(CreateWorkspace.newBuilder().setWorkspaceId(id).setName("Acme").setSlug("acme")
                        .setTimezone("Mars/Olympus").setOwnerId(owner).build(), byOwner)
                .expectException(rejected(WorkspaceErrors.INVALID))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(CreateWorkspace.newBuilder().setWorkspaceId(id).setName("Acme").setSlug("acme")
                        .setTimezone("GMT+5").setOwnerId(owner).build(), byOwner)
                .expectException(rejected(WorkspaceErrors.INVALID))
                .expectNoEvents();
    }

    @Test
    void update_changesWhatIsGiven_andNothingElse() {
        fixture.given(created(), member(owner, "owner"))
                .when(UpdateWorkspace.newBuilder().setWorkspaceId(id).setName("Acme Ltd").setSlug(null).setTimezone(null)
                        .build(), byOwner)
                .expectEvents(WorkspaceUpdated.newBuilder().setWorkspaceId(id).setName("Acme Ltd").setSlug("acme")
                        .setTimezone("UTC").build());
    }

    @Test
    void anUpdateThatChangesNothing_recordsNothing() {
        fixture.given(created(), member(owner, "owner"))
                .when(UpdateWorkspace.newBuilder().setWorkspaceId(id).setName("Acme").setSlug("acme").setTimezone(null)
                        .build(), byOwner)
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anArchivedWorkspace_takesNoWrites_untilRestored() {
        fixture.given(created(), member(owner, "owner"), archived())
                .when(AddMember.newBuilder().setWorkspaceId(id).setUserId(colleague).setRole("member").build(), byOwner)
                .expectException(rejected(WorkspaceErrors.ARCHIVED))
                .expectNoEvents();
        fixture.given(created(), member(owner, "owner"), archived())
                .when(UpdateWorkspace.newBuilder().setWorkspaceId(id).setName("x").setSlug(null).setTimezone(null)
                        .build(), byOwner)
                .expectException(rejected(WorkspaceErrors.ARCHIVED));
        fixture.given(created(), member(owner, "owner"), archived())
                .when(RestoreWorkspace.newBuilder().setWorkspaceId(id).build(), byOwner)
                .expectEvents(WorkspaceRestored.newBuilder().setWorkspaceId(id).build());
    }

    @Test
    void archivingTwice_recordsOnce() {
        fixture.given(created(), member(owner, "owner"), archived())
                .when(ArchiveWorkspace.newBuilder().setWorkspaceId(id).build(), byOwner)
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void delete_onlyOnceArchived_andThenNothingMore() {
        fixture.given(created(), member(owner, "owner"))
                .when(DeleteWorkspace.newBuilder().setWorkspaceId(id).build(), byOwner)
                .expectException(rejected(WorkspaceErrors.NOT_ARCHIVED))
                .expectNoEvents();
        fixture.given(created(), member(owner, "owner"), archived())
                .when(DeleteWorkspace.newBuilder().setWorkspaceId(id).build(), byOwner)
                .expectEvents(WorkspaceDeleted.newBuilder().setWorkspaceId(id).build());
        fixture.given(created(), member(owner, "owner"), archived(),
                        past(id, WorkspaceDeleted.newBuilder().setWorkspaceId(id).build()))
                .when(RestoreWorkspace.newBuilder().setWorkspaceId(id).build(), byOwner)
                .expectException(rejected(WorkspaceErrors.DELETED));
    }

    @Test
    void members_areAddedOnce_changedAndRemoved() {
        fixture.given(created(), member(owner, "owner"))
                .when(AddMember.newBuilder().setWorkspaceId(id).setUserId(colleague).setRole("viewer").build(), byOwner)
                .expectEvents(MemberAdded.newBuilder().setWorkspaceId(id).setUserId(colleague).setRole("viewer").build());
        fixture.given(created(), member(owner, "owner"), member(colleague, "viewer"))
                .when(AddMember.newBuilder().setWorkspaceId(id).setUserId(colleague).setRole("admin").build(), byOwner)
                .expectException(rejected(WorkspaceErrors.MEMBER_EXISTS));
        fixture.given(created(), member(owner, "owner"), member(colleague, "viewer"))
                .when(ChangeMemberRole.newBuilder().setWorkspaceId(id).setUserId(colleague).setRole("admin").build(), byOwner)
                .expectEvents(MemberRoleChanged.newBuilder().setWorkspaceId(id).setUserId(colleague).setRole("admin")
                        .setPreviousRole("viewer").build());
        fixture.given(created(), member(owner, "owner"), member(colleague, "viewer"))
                .when(RemoveMember.newBuilder().setWorkspaceId(id).setUserId(colleague).build(), byOwner)
                .expectEvents(MemberRemoved.newBuilder().setWorkspaceId(id).setUserId(colleague).build());
        fixture.given(created(), member(owner, "owner"))
                .when(RemoveMember.newBuilder().setWorkspaceId(id).setUserId(colleague).build(), byOwner)
                .expectException(rejected(WorkspaceErrors.MEMBER_NOT_FOUND));
    }

    @Test
    void theLastOwner_canBeNeitherRemovedNorDemoted() {
        fixture.given(created(), member(owner, "owner"), member(colleague, "admin"))
                .when(RemoveMember.newBuilder().setWorkspaceId(id).setUserId(owner).build(), byOwner)
                .expectException(rejected(WorkspaceErrors.LAST_OWNER))
                .expectNoEvents();
        fixture.given(created(), member(owner, "owner"), member(colleague, "admin"))
                .when(ChangeMemberRole.newBuilder().setWorkspaceId(id).setUserId(owner).setRole("admin").build(), byOwner)
                .expectException(rejected(WorkspaceErrors.LAST_OWNER))
                .expectNoEvents();
        // with a second owner, the first may go
        fixture.given(created(), member(owner, "owner"), member(colleague, "owner"))
                .when(RemoveMember.newBuilder().setWorkspaceId(id).setUserId(owner).build(), by(id, colleague))
                .expectEvents(MemberRemoved.newBuilder().setWorkspaceId(id).setUserId(owner).build());
    }

    @Test
    void aMember_leavesOnTheirOwn_butNeverForAnother_andTheLastOwnerStays() {
        fixture.given(created(), member(owner, "owner"), member(colleague, "viewer"))
                .when(LeaveWorkspace.newBuilder().setWorkspaceId(id).setUserId(colleague).build(), by(id, colleague))
                .expectEvents(MemberRemoved.newBuilder().setWorkspaceId(id).setUserId(colleague).build());
        fixture.given(created(), member(owner, "owner"), member(colleague, "viewer"))
                .when(LeaveWorkspace.newBuilder().setWorkspaceId(id).setUserId(colleague).build(), byOwner)
                .expectException(rejected(CommonErrors.FORBIDDEN));
        fixture.given(created(), member(owner, "owner"), member(colleague, "admin"))
                .when(LeaveWorkspace.newBuilder().setWorkspaceId(id).setUserId(owner).build(), byOwner)
                .expectException(rejected(WorkspaceErrors.LAST_OWNER));
        fixture.given(created(), member(owner, "owner"), member(colleague, "member"), archived())
                .when(LeaveWorkspace.newBuilder().setWorkspaceId(id).setUserId(colleague).build(), by(id, colleague))
                .expectEvents(MemberRemoved.newBuilder().setWorkspaceId(id).setUserId(colleague).build());
        fixture.given(created(), member(owner, "owner"))
                .when(LeaveWorkspace.newBuilder().setWorkspaceId(id).setUserId(colleague).build(), by(id, colleague))
                .expectException(rejected(WorkspaceErrors.MEMBER_NOT_FOUND));
    }

    @Test
    void aWithdrawnInvitation_letsNobodyIn_andIsWithdrawnOnce() {
        String invitation = UUID.randomUUID().toString();
        EventMessage<?> invited = past(id, MemberInvited.newBuilder().setWorkspaceId(id).setInvitationId(invitation)
                .setEmail("bob@example.com").setRole("member").setTokenHash("ab".repeat(32))
                .setExpiresAt(Instant.now().plusSeconds(3600)).setInvitedBy(owner).build());
        EventMessage<?> withdrawn = past(id, InvitationWithdrawn.newBuilder().setWorkspaceId(id).setInvitationId(invitation)
                .build());
        fixture.given(created(), member(owner, "owner"), invited)
                .when(WithdrawInvitation.newBuilder().setWorkspaceId(id).setInvitationId(invitation).build(), byOwner)
                .expectEvents(InvitationWithdrawn.newBuilder().setWorkspaceId(id).setInvitationId(invitation).build());
        fixture.given(created(), member(owner, "owner"), invited, withdrawn)
                .when(WithdrawInvitation.newBuilder().setWorkspaceId(id).setInvitationId(invitation).build(), byOwner)
                .expectNoEvents();
        fixture.given(created(), member(owner, "owner"), invited, withdrawn)
                .when(AcceptInvitation.newBuilder().setWorkspaceId(id).setInvitationId(invitation).setTokenHash("ab".repeat(32))
                        .setUserId(colleague).setEmail("bob@example.com").build(), by(id, colleague))
                .expectException(rejected(WorkspaceErrors.INVITATION_WITHDRAWN));
        fixture.given(created(), member(owner, "owner"))
                .when(WithdrawInvitation.newBuilder().setWorkspaceId(id).setInvitationId(invitation).build(), byOwner)
                .expectException(rejected(WorkspaceErrors.INVITATION_NOT_FOUND));
        fixture.given(created(), member(owner, "owner"), invited, past(id, InvitationAccepted.newBuilder().setWorkspaceId(id)
                        .setInvitationId(invitation).setUserId(colleague).build()))
                .when(WithdrawInvitation.newBuilder().setWorkspaceId(id).setInvitationId(invitation).build(), byOwner)
                .expectException(rejected(WorkspaceErrors.INVITATION_USED));
    }
}
