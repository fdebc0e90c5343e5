package io.fleetstream.projector;

import static io.fleetstream.schemas.readmodel.Tables.AGGREGATE_EVENT;
import static io.fleetstream.schemas.readmodel.Tables.APP_USER;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE_MEMBER;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetstream.infra.SharedInfrastructure;
import io.fleetstream.projector.user.UserProjection;
import io.fleetstream.projector.workspace.WorkspaceProjection;
import io.fleetstream.schemas.user.PlatformAdminGranted;
import io.fleetstream.schemas.user.PlatformAdminRevoked;
import io.fleetstream.schemas.user.UserRegistered;
import io.fleetstream.schemas.workspace.MemberAdded;
import io.fleetstream.schemas.workspace.MemberRemoved;
import io.fleetstream.schemas.workspace.MemberRoleChanged;
import io.fleetstream.schemas.workspace.WorkspaceArchived;
import io.fleetstream.schemas.workspace.WorkspaceCreated;
import io.fleetstream.schemas.workspace.WorkspaceUpdated;
import io.fleetstream.support.notice.ChangeNotice;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The workspaces and users read models, fed their events directly (no Kafka), checked against PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class TenancyProjectionIT {

    @Autowired
    DSLContext db;
    @Autowired
    WorkspaceProjection workspaces;
    @Autowired
    UserProjection users;

    private final EventRecords events = new EventRecords();
    private final String id = UUID.randomUUID().toString();
    private final String owner = UUID.randomUUID().toString();
    private final String colleague = UUID.randomUUID().toString();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedInfrastructure.get().springProperties().forEach((key, value) -> registry.add(key, () -> value));
    }

    private ConsumerRecord<byte[], byte[]> workspaceEvent(org.apache.avro.specific.SpecificRecord payload) {
        return events.next("workspace", id, id, payload);
    }

    @Test
    void aWorkspace_withItsMembers_isShownAsItsEventsLeftIt_andEachStateIsKept() {
        List<ConsumerRecord<byte[], byte[]>> lifecycle = List.of(
                workspaceEvent(WorkspaceCreated.newBuilder().setWorkspaceId(id).setName("Acme").setSlug("acme")
                        .setTimezone("UTC").setOwnerId(owner).build()),
                workspaceEvent(MemberAdded.newBuilder().setWorkspaceId(id).setUserId(owner).setRole("owner").build()),
                workspaceEvent(MemberAdded.newBuilder().setWorkspaceId(id).setUserId(colleague).setRole("viewer").build()),
                workspaceEvent(MemberRoleChanged.newBuilder().setWorkspaceId(id).setUserId(colleague).setRole("admin")
                        .setPreviousRole("viewer").build()),
                workspaceEvent(WorkspaceUpdated.newBuilder().setWorkspaceId(id).setName("Acme Ltd").setSlug("acme-ltd")
                        .setTimezone("Europe/Berlin").build()),
                workspaceEvent(WorkspaceArchived.newBuilder().setWorkspaceId(id).build()));

        List<ChangeNotice> notices = workspaces.consume(lifecycle);

        var row = db.selectFrom(WORKSPACE).where(WORKSPACE.WORKSPACE_ID.eq(UUID.fromString(id))).fetchSingle();
        assertThat(row.getName()).isEqualTo("Acme Ltd");
        assertThat(row.getSlug()).isEqualTo("acme-ltd");
        assertThat(row.getStatus()).isEqualTo("ARCHIVED");
        assertThat(row.getVersion()).isEqualTo(5L);
        assertThat(db.selectFrom(WORKSPACE_MEMBER).where(WORKSPACE_MEMBER.WORKSPACE_ID.eq(UUID.fromString(id)))
                .fetch(m -> m.getUserId() + "=" + m.getRole()))
                .containsExactlyInAnyOrder(owner + "=owner", colleague + "=admin");
        assertThat(notices).extracting(ChangeNotice::type).containsExactly("workspace.created", "member.added",
                "member.added", "member.updated", "workspace.updated", "workspace.archived");
        assertThat(notices).allSatisfy(n -> {
            assertThat(n.aggregateType()).isEqualTo("workspace");
            assertThat(n.aggregateId()).isEqualTo(id);
            assertThat(n.workspaceId()).isEqualTo(id);
        });
        // the state after the third event: two members, the colleague still a viewer
        String third = db.select(AGGREGATE_EVENT.STATE).from(AGGREGATE_EVENT)
                .where(AGGREGATE_EVENT.AGGREGATE_ID.eq(id), AGGREGATE_EVENT.SEQUENCE.eq(2L)).fetchSingle().value1().data();
        assertThat(third).contains("\"viewer\"").contains("\"name\": \"Acme\"").doesNotContain("admin");

        // the same events again, as new records: nothing changes, nothing is announced
        var before = db.selectFrom(WORKSPACE_MEMBER).where(WORKSPACE_MEMBER.WORKSPACE_ID.eq(UUID.fromString(id))).fetch();
        assertThat(workspaces.consume(lifecycle.stream().map(EventRecords::envelope).map(events::again).toList())).isEmpty();
        assertThat(db.selectFrom(WORKSPACE_MEMBER).where(WORKSPACE_MEMBER.WORKSPACE_ID.eq(UUID.fromString(id))).fetch())
                .isEqualTo(before);

        workspaces.consume(List.of(workspaceEvent(MemberRemoved.newBuilder().setWorkspaceId(id).setUserId(colleague).build())));
        assertThat(db.fetchCount(WORKSPACE_MEMBER, WORKSPACE_MEMBER.WORKSPACE_ID.eq(UUID.fromString(id)))).isOne();
    }

    @Test
    void aUser_isShownWithTheirClaims_andTheirGrant() {
        String user = UUID.randomUUID().toString();
        users.consume(List.of(
                events.next("user", "platform", user, UserRegistered.newBuilder().setUserId(user).setIssuer("http://issuer")
                        .setSubject("bob").setEmail("bob@example.com").setEmailVerified(true).setName("Bob")
                        .setPlatformAdmin(false).build()),
                events.next("user", "platform", user, PlatformAdminGranted.newBuilder().setUserId(user).build())));

        var row = db.selectFrom(APP_USER).where(APP_USER.USER_ID.eq(UUID.fromString(user))).fetchSingle();
        assertThat(row.getSubject()).isEqualTo("bob");
        assertThat(row.getEmail()).isEqualTo("bob@example.com");
        assertThat(row.getPlatformAdmin()).isTrue();
        assertThat(row.getVersion()).isEqualTo(1L);

        users.consume(List.of(events.next("user", "platform", user, PlatformAdminRevoked.newBuilder().setUserId(user).build())));
        row = db.selectFrom(APP_USER).where(APP_USER.USER_ID.eq(UUID.fromString(user))).fetchSingle();
        assertThat(row.getPlatformAdmin()).isFalse();
        assertThat(row.getVersion()).isEqualTo(2L);
    }

    @Test
    void eventsOfOtherAggregateTypes_arePassedOver() {
        String device = UUID.randomUUID().toString();
        assertThat(workspaces.consume(List.of(events.next("device", id, device,
                WorkspaceArchived.newBuilder().setWorkspaceId(device).build())))).isEmpty();
        assertThat(db.fetchCount(AGGREGATE_EVENT, AGGREGATE_EVENT.AGGREGATE_ID.eq(device))).isZero();
    }
}
