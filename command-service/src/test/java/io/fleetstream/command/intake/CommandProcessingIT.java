package io.fleetstream.command.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetstream.infra.SharedInfrastructure;
import io.fleetstream.infra.testing.TopicWatcher;
import io.fleetstream.schemas.Payloads;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.command.Actor;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.schemas.command.CommandEnvelope;
import io.fleetstream.schemas.command.CommandResult;
import io.fleetstream.schemas.command.CommandStatus;
import io.fleetstream.schemas.deadletter.DeadLetter;
import io.fleetstream.schemas.device.DecommissionDevice;
import io.fleetstream.schemas.device.DeviceRegistered;
import io.fleetstream.schemas.device.RegisterDevice;
import io.fleetstream.schemas.device.UpdateDeviceSettings;
import io.fleetstream.schemas.event.EventEnvelope;
import io.fleetstream.schemas.user.RegisterUser;
import io.fleetstream.schemas.apikey.CreateApiKey;
import io.fleetstream.schemas.device.AssignDeviceTeam;
import io.fleetstream.schemas.team.AddTeamMember;
import io.fleetstream.schemas.team.CreateTeam;
import io.fleetstream.schemas.team.DeleteTeam;
import io.fleetstream.schemas.team.RenameTeam;
import io.fleetstream.schemas.workspace.AddMember;
import io.fleetstream.schemas.user.RevokePlatformAdmin;
import io.fleetstream.schemas.user.GrantPlatformAdmin;
import io.fleetstream.schemas.device.DeviceDecommissioned;
import io.fleetstream.schemas.workspace.DeleteWorkspace;
import io.fleetstream.schemas.workspace.ArchiveWorkspace;
import io.fleetstream.schemas.workspace.ChangeMemberRole;
import io.fleetstream.schemas.workspace.RemoveMember;
import io.fleetstream.schemas.workspace.RestoreWorkspace;
import io.fleetstream.schemas.workspace.CreateWorkspace;
import io.fleetstream.schemas.workspace.UpdateWorkspace;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Commands through the real Kafka into the PostgreSQL event store, answers and events back out. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class CommandProcessingIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static KafkaProducer<String, byte[]> producer;
    private static TopicWatcher<String, CommandResult> results;
    private static TopicWatcher<String, EventEnvelope> events;
    private static TopicWatcher<String, DeadLetter> deadLetters;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedInfrastructure.get().springProperties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @BeforeAll
    static void clients() {
        String bootstrap = SharedInfrastructure.get().kafka().bootstrapServers();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer());
    }

    private void watch() {
        if (results == null) {
            String bootstrap = SharedInfrastructure.get().kafka().bootstrapServers();
            results = TopicWatcher.fromBeginning(bootstrap, Topics.COMMAND_RESULTS.name(),
                    Topics.COMMAND_RESULTS.keySerde().deserializer(), Topics.COMMAND_RESULTS.valueSerde().deserializer());
            events = TopicWatcher.fromBeginning(bootstrap, Topics.EVENTS.name(),
                    Topics.EVENTS.keySerde().deserializer(), Topics.EVENTS.valueSerde().deserializer());
            deadLetters = TopicWatcher.fromBeginning(bootstrap, Topics.DEADLETTER.name(),
                    Topics.DEADLETTER.keySerde().deserializer(), Topics.DEADLETTER.valueSerde().deserializer());
        }
    }

    @AfterAll
    static void close() {
        producer.close();
        if (results != null) {
            results.close();
            events.close();
            deadLetters.close();
        }
    }

    /** The person commands come from, an owner of both workspaces of the tests. */
    private static final String ALICE = UUID.randomUUID().toString();
    private static final String ACME = UUID.randomUUID().toString();
    private static final String GLOBEX = UUID.randomUUID().toString();
    private static boolean tenants;

    /** The workspaces the device commands are sent in, made once by Alice, who owns them. */
    private void tenants() throws Exception {
        if (!tenants) {
            tenants = true;
            for (String id : List.of(ACME, GLOBEX)) {
                assertThat(send(envelope(id, id, workspace(id, "w-" + id.substring(0, 8)))).getStatus())
                        .isEqualTo(CommandStatus.ACCEPTED);
            }
        }
    }

    private CommandEnvelope envelope(String workspace, String aggregateId, SpecificRecord command) throws Exception {
        if (!workspace.equals(aggregateId) && !workspace.startsWith("#")) {
            tenants();
        }
        return as(ActorKind.USER, ALICE, workspace, aggregateId, command);
    }

    private CommandEnvelope as(ActorKind kind, String actor, String workspace, String aggregateId, SpecificRecord command) {
        return CommandEnvelope.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setType(Payloads.typeOf(command))
                .setWorkspaceId(workspace)
                .setAggregateId(aggregateId)
                .setActor(Actor.newBuilder().setKind(kind).setId(actor).build())
                .setIssuedAt(Instant.now())
                .setPayload(ByteBuffer.wrap(Payloads.encode(command)))
                .build();
    }

    private CommandResult send(CommandEnvelope envelope) throws Exception {
        watch();
        producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), envelope.getAggregateId(),
                Topics.COMMANDS.valueSerde().serializer().serialize(Topics.COMMANDS.name(), envelope))).get();
        return results.await(r -> r.getCommandId().equals(envelope.getCommandId()), WAIT);
    }

    private static RegisterDevice register(String deviceId, String hardwareId) {
        return RegisterDevice.newBuilder().setDeviceId(deviceId).setName("boiler").setDeviceType("esp32")
                .setHardwareId(hardwareId).setSettingsJson("{\"interval\":5}").setTokenHash("a".repeat(64)).build();
    }

    @Test
    void register_isAcceptedStoredAndPublishedInOrder() throws Exception {
        String id = UUID.randomUUID().toString();

        CommandResult result = send(envelope(ACME, id, register(id, null)));

        assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(result.getAggregateVersion()).isZero();
        // the answer names what was asked and by whom, for the audit log
        assertThat(result.getAggregateType()).isEqualTo("device");
        assertThat(result.getCommandType()).isEqualTo("RegisterDevice");
        assertThat(result.getActor().getId()).isEqualTo(ALICE);
        EventEnvelope event = events.await(e -> e.getAggregateId().equals(id), WAIT);
        assertThat(event.getSequence()).isZero();
        assertThat(event.getWorkspaceId()).isEqualTo(ACME);
        assertThat(event.getAggregateType()).isEqualTo("device");
        assertThat(event.getType()).isEqualTo("DeviceRegistered");
        assertThat(event.getActor().getId()).isEqualTo(ALICE);
        DeviceRegistered payload = (DeviceRegistered) Payloads.decode(event.getType(), event.getPayload().array());
        assertThat(payload.getSettingsJson()).isEqualTo("{\"interval\":5}");

        CommandResult update = send(envelope(ACME, id, UpdateDeviceSettings.newBuilder().setDeviceId(id)
                .setPatchJson("{\"interval\":10}").build()));
        assertThat(update.getAggregateVersion()).isEqualTo(1);
        EventEnvelope second = events.await(e -> e.getAggregateId().equals(id) && e.getSequence() == 1, WAIT);
        assertThat(second.getType()).isEqualTo("DeviceSettingsUpdated");
        assertThat(events.values(e -> e.getAggregateId().equals(id)))
                .extracting(EventEnvelope::getSequence).as("in order; publishing is at least once")
                .containsSubsequence(0L, 1L).containsOnly(0L, 1L);
    }

    @Test
    void aRedeliveredCommand_isAnsweredAgainButAppliedOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        CommandEnvelope envelope = envelope(ACME, id, register(id, null));

        CommandResult first = send(envelope);
        producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), id,
                Topics.COMMANDS.valueSerde().serializer().serialize(Topics.COMMANDS.name(), envelope))).get();

        await().atMost(WAIT).until(() -> results.values(r -> r.getCommandId().equals(envelope.getCommandId())).size() == 2);
        assertThat(results.values(r -> r.getCommandId().equals(envelope.getCommandId()))).containsOnly(first);
        assertThat(jdbc.queryForObject("select count(*) from domainevententry where aggregateidentifier = ?",
                Integer.class, id)).isEqualTo(1);
    }

    @Test
    void aHardwareId_belongsToOneLiveDevicePerWorkspace() throws Exception {
        String hardwareId = "HW-" + UUID.randomUUID();
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String elsewhere = UUID.randomUUID().toString();

        assertThat(send(envelope(ACME, first, register(first, hardwareId))).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        CommandResult taken = send(envelope(ACME, second, register(second, hardwareId)));
        assertThat(taken.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(taken.getErrorCode()).isEqualTo("device.hardware-id-taken");
        assertThat(jdbc.queryForObject("select count(*) from domainevententry where aggregateidentifier = ?",
                Integer.class, second)).as("nothing of the rejected registration is stored").isZero();
        assertThat(send(envelope(GLOBEX, elsewhere, register(elsewhere, hardwareId))).getStatus())
                .isEqualTo(CommandStatus.ACCEPTED);

        send(envelope(ACME, first, DecommissionDevice.newBuilder().setDeviceId(first).setReason(null).build()));
        assertThat(send(envelope(ACME, second, register(second, hardwareId))).getStatus())
                .as("decommissioning frees the hardware id").isEqualTo(CommandStatus.ACCEPTED);
    }

    @Test
    void commandsForUnknownOrForeignDevices_areRejectedAsNotFound() throws Exception {
        String id = UUID.randomUUID().toString();
        UpdateDeviceSettings patch = UpdateDeviceSettings.newBuilder().setDeviceId(id).setPatchJson("{}").build();
        assertThat(send(envelope(ACME, id, patch)).getErrorCode()).isEqualTo("device.not-found");

        send(envelope(ACME, id, register(id, null)));
        assertThat(send(envelope(GLOBEX, id, patch)).getErrorCode()).isEqualTo("device.not-found");
    }

    private static CreateWorkspace workspace(String id, String slug) {
        return CreateWorkspace.newBuilder().setWorkspaceId(id).setName("Acme").setSlug(slug).setTimezone("UTC")
                .setOwnerId(ALICE).build();
    }

    @Test
    void aSlug_namesOneWorkspace_andIsFreedByARename() throws Exception {
        String slug = "acme-" + UUID.randomUUID().toString().substring(0, 8);
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();

        assertThat(send(envelope(first, first, workspace(first, slug))).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        CommandResult taken = send(envelope(second, second, workspace(second, slug)));
        assertThat(taken.getErrorCode()).isEqualTo("workspace.slug-taken");
        assertThat(jdbc.queryForObject("select count(*) from domainevententry where aggregateidentifier = ?",
                Integer.class, second)).as("nothing of the refused creation is stored").isZero();

        assertThat(send(envelope(first, first, UpdateWorkspace.newBuilder().setWorkspaceId(first).setName(null)
                .setSlug(slug + "-old").setTimezone(null).build())).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(send(envelope(second, second, workspace(second, slug))).getStatus())
                .as("the renamed workspace freed its slug").isEqualTo(CommandStatus.ACCEPTED);
    }

    @Test
    void theTenancyGuard_holdsForEveryAggregateType() throws Exception {
        String workspace = UUID.randomUUID().toString();
        send(envelope(workspace, workspace, workspace(workspace, "t-" + workspace.substring(0, 8))));
        ArchiveWorkspace archive = ArchiveWorkspace.newBuilder().setWorkspaceId(workspace).build();

        assertThat(send(envelope(GLOBEX, workspace, archive)).getErrorCode())
                .as("a workspace is a command's own workspace or none").isEqualTo("workspace.not-found");
        assertThat(send(envelope(workspace, workspace, UpdateDeviceSettings.newBuilder().setDeviceId(workspace)
                .setPatchJson("{}").build())).getErrorCode())
                .as("an id of another aggregate type is not a device").isEqualTo("device.not-found");
        CommandResult again = send(envelope(workspace, workspace, workspace(workspace, "other-" + workspace.substring(0, 8))));
        assertThat(again.getErrorCode()).isEqualTo("workspace.exists");
        assertThat(send(envelope(workspace, workspace, archive)).getAggregateType()).isEqualTo("workspace");
    }

    @Test
    void accessComesFromMemberships_strictlyCurrent_forPeopleAndKeys() throws Exception {
        String bob = UUID.randomUUID().toString();
        String device = UUID.randomUUID().toString();
        assertThat(send(as(ActorKind.USER, bob, ACME, device, register(device, null))).getErrorCode())
                .as("a non-member's workspace does not exist").isEqualTo("workspace.not-found");
        assertThat(send(envelope(ACME, ACME, AddMember.newBuilder().setWorkspaceId(ACME).setUserId(bob).setRole("viewer")
                .build())).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(send(as(ActorKind.USER, bob, ACME, device, register(device, null))).getErrorCode())
                .as("a viewer only reads").isEqualTo("auth.forbidden");
        assertThat(send(as(ActorKind.USER, bob, ACME, ACME, AddMember.newBuilder().setWorkspaceId(ACME)
                .setUserId(UUID.randomUUID().toString()).setRole("owner").build())).getErrorCode()).isEqualTo("auth.forbidden");
        send(envelope(ACME, ACME, ChangeMemberRole.newBuilder().setWorkspaceId(ACME).setUserId(bob).setRole("member").build()));
        assertThat(send(as(ActorKind.USER, bob, ACME, device, register(device, null))).getStatus())
                .as("from the next command on").isEqualTo(CommandStatus.ACCEPTED);
        assertThat(send(as(ActorKind.USER, bob, ACME, ACME, AddMember.newBuilder().setWorkspaceId(ACME)
                .setUserId(UUID.randomUUID().toString()).setRole("admin").build())).getErrorCode())
                .as("a member does not manage members").isEqualTo("auth.forbidden");

        String key = UUID.randomUUID().toString();
        assertThat(send(as(ActorKind.USER, bob, ACME, key, apiKey(key, ACME, bob))).getErrorCode())
                .as("only owners and admins make keys").isEqualTo("auth.forbidden");
        assertThat(send(envelope(ACME, key, apiKey(key, ACME, ALICE))).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        UpdateDeviceSettings patch = UpdateDeviceSettings.newBuilder().setDeviceId(device).setPatchJson("{\"a\":1}").build();
        assertThat(send(as(ActorKind.API_KEY, key, ACME, device, patch)).getErrorCode())
                .as("a key with devices:read only reads").isEqualTo("auth.scope-missing");
        assertThat(send(as(ActorKind.API_KEY, key, GLOBEX, device, patch)).getErrorCode())
                .as("a key acts in its own workspace only").isIn("auth.unauthenticated", "device.not-found");

        send(envelope(ACME, ACME, RemoveMember.newBuilder().setWorkspaceId(ACME).setUserId(bob).build()));
        assertThat(send(as(ActorKind.USER, bob, ACME, device, patch)).getErrorCode())
                .as("a removed member loses access with the next command").isEqualTo("workspace.not-found");
        assertThat(send(as(ActorKind.DEVICE, device, ACME, device, patch)).getErrorCode()).isEqualTo("auth.forbidden");
    }

    private static CreateApiKey apiKey(String keyId, String workspace, String creator) {
        return CreateApiKey.newBuilder().setKeyId(keyId).setWorkspaceId(workspace).setName("ci").setPrefix("fsk_ABCD2345")
                .setSecretHash("0".repeat(64)).setScopes(List.of("devices:read")).setCreatorId(creator).setExpiresAt(null)
                .build();
    }

    @Test
    void teams_takeOnlyTheWorkspacesMembers_andDevicesOnlyTheWorkspacesTeams() throws Exception {
        String team = UUID.randomUUID().toString();
        assertThat(send(envelope(ACME, team, CreateTeam.newBuilder().setTeamId(team).setWorkspaceId(ACME).setName("Ops")
                .build())).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        String stranger = UUID.randomUUID().toString();
        assertThat(send(envelope(ACME, team, AddTeamMember.newBuilder().setTeamId(team).setUserId(stranger).build()))
                .getErrorCode()).isEqualTo("team.not-a-member");
        assertThat(send(envelope(ACME, team, AddTeamMember.newBuilder().setTeamId(team).setUserId(ALICE).build()))
                .getStatus()).isEqualTo(CommandStatus.ACCEPTED);

        String device = UUID.randomUUID().toString();
        send(envelope(ACME, device, register(device, null)));
        assertThat(send(envelope(ACME, device, AssignDeviceTeam.newBuilder().setDeviceId(device).setTeamId(team).build()))
                .getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        String theirs = UUID.randomUUID().toString();
        send(envelope(GLOBEX, theirs, CreateTeam.newBuilder().setTeamId(theirs).setWorkspaceId(GLOBEX).setName("Theirs").build()));
        assertThat(send(envelope(ACME, device, AssignDeviceTeam.newBuilder().setDeviceId(device).setTeamId(theirs).build()))
                .getErrorCode()).as("another workspace's team is none of this one's").isEqualTo("team.not-found");
        assertThat(send(envelope(GLOBEX, team, RenameTeam.newBuilder().setTeamId(team).setName("x").build()))
                .getErrorCode()).isEqualTo("team.not-found");

        send(envelope(ACME, team, DeleteTeam.newBuilder().setTeamId(team).build()));
        assertThat(send(envelope(ACME, team, RenameTeam.newBuilder().setTeamId(team).setName("Field").build()))
                .getErrorCode()).isEqualTo("team.deleted");
        assertThat(send(envelope(ACME, device, AssignDeviceTeam.newBuilder().setDeviceId(device).setTeamId(team).build()))
                .getErrorCode()).isEqualTo("team.not-found");
        assertThat(send(envelope(ACME, device, AssignDeviceTeam.newBuilder().setDeviceId(device).setTeamId(null).build()))
                .getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    }

    @Test
    void aPersonWhoLeaves_leavesTheTeams_evenWhileArchived_andADeletedWorkspacesDevicesAreDecommissioned() throws Exception {
        String workspace = UUID.randomUUID().toString();
        send(envelope(workspace, workspace, workspace(workspace, "f-" + workspace.substring(0, 8))));
        String bob = UUID.randomUUID().toString();
        assertThat(send(envelope(workspace, workspace, AddMember.newBuilder().setWorkspaceId(workspace).setUserId(bob)
                .setRole("member").build())).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        String team = UUID.randomUUID().toString();
        send(as(ActorKind.USER, ALICE, workspace, team, CreateTeam.newBuilder().setTeamId(team).setWorkspaceId(workspace)
                .setName("Night shift").build()));
        assertThat(send(as(ActorKind.USER, ALICE, workspace, team, AddTeamMember.newBuilder().setTeamId(team).setUserId(bob)
                .build())).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        String live = UUID.randomUUID().toString();
        String retired = UUID.randomUUID().toString();
        send(as(ActorKind.USER, ALICE, workspace, live, register(live, null)));
        send(as(ActorKind.USER, ALICE, workspace, retired, register(retired, null)));
        assertThat(send(as(ActorKind.USER, ALICE, workspace, retired, DecommissionDevice.newBuilder().setDeviceId(retired)
                .build())).getStatus()).isEqualTo(CommandStatus.ACCEPTED);

        // removed while the workspace is archived (as to contain a hostile member), Bob still leaves the team
        send(envelope(workspace, workspace, ArchiveWorkspace.newBuilder().setWorkspaceId(workspace).build()));
        assertThat(send(envelope(workspace, workspace, RemoveMember.newBuilder().setWorkspaceId(workspace).setUserId(bob)
                .build())).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        CommandResult leaving = results.await(r -> r.getAggregateId().equals(team)
                && r.getCommandType().equals("RemoveTeamMember"), WAIT);
        assertThat(leaving.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(leaving.getActor().getKind()).isEqualTo(ActorKind.SYSTEM);
        EventEnvelope left = events.await(e -> e.getAggregateId().equals(team) && e.getType().equals("TeamMemberRemoved"), WAIT);
        assertThat(left.getActor().getKind()).isEqualTo(ActorKind.SYSTEM);
        assertThat(jdbc.queryForObject("select count(*) from team_member_access where team_id = ?", Integer.class, team))
                .isZero();

        assertThat(send(envelope(workspace, workspace, DeleteWorkspace.newBuilder().setWorkspaceId(workspace).build()))
                .getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        EventEnvelope wound = events.await(e -> e.getAggregateId().equals(live) && e.getType().equals("DeviceDecommissioned"), WAIT);
        assertThat(wound.getActor().getKind()).isEqualTo(ActorKind.SYSTEM);
        assertThat(((DeviceDecommissioned) Payloads.decode(wound.getType(), wound.getPayload().array())).getReason())
                .isEqualTo("workspace deleted");
        // the one decommissioned before is answered as done, with no second decommissioning
        CommandResult already = results.await(r -> r.getAggregateId().equals(retired)
                && r.getActor().getKind() == ActorKind.SYSTEM, WAIT);
        assertThat(already.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(jdbc.queryForObject("select count(*) from domainevententry where aggregateidentifier = ?",
                Integer.class, retired)).isEqualTo(2);
        // a person's own commands there find no workspace
        assertThat(send(as(ActorKind.USER, ALICE, workspace, retired, DecommissionDevice.newBuilder().setDeviceId(retired)
                .build())).getErrorCode()).isEqualTo("workspace.not-found");
    }

    @Test
    void platformAdministration_isGrantedAndRevokedOnlyByPlatformAdministrators() throws Exception {
        String root = UUID.randomUUID().toString();
        String carol = UUID.randomUUID().toString();
        for (String user : List.of(root, carol)) {
            CommandEnvelope registration = as(ActorKind.SYSTEM, "ingest-gateway", "#platform", user,
                    RegisterUser.newBuilder().setUserId(user).setIssuer("http://issuer").setSubject("s-" + user)
                            .setEmail(null).setEmailVerified(false).setName(null).setPlatformAdmin(user.equals(root)).build());
            assertThat(send(registration).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        }
        GrantPlatformAdmin grantCarol = GrantPlatformAdmin.newBuilder().setUserId(carol).build();
        assertThat(send(as(ActorKind.USER, carol, "#platform", carol, grantCarol)).getErrorCode())
                .as("nobody makes themself an administrator").isEqualTo("auth.forbidden");
        assertThat(send(as(ActorKind.USER, root, "#platform", carol, grantCarol)).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(send(as(ActorKind.USER, carol, "#platform", carol, RevokePlatformAdmin.newBuilder().setUserId(carol)
                .build())).getErrorCode()).isEqualTo("user.own-administration");
        assertThat(send(as(ActorKind.USER, carol, "#platform", root, RevokePlatformAdmin.newBuilder().setUserId(root)
                .build())).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(send(as(ActorKind.USER, root, "#platform", root, GrantPlatformAdmin.newBuilder().setUserId(root)
                .build())).getErrorCode()).as("revoked at once").isEqualTo("auth.forbidden");
        assertThat(send(as(ActorKind.API_KEY, "k-" + carol, "#platform", root, GrantPlatformAdmin.newBuilder()
                .setUserId(root).build())).getErrorCode()).isEqualTo("auth.forbidden");
    }

    @Test
    void anArchivedWorkspace_takesNoWrites_butItsRestoring() throws Exception {
        String workspace = UUID.randomUUID().toString();
        send(envelope(workspace, workspace, workspace(workspace, "a-" + workspace.substring(0, 8))));
        String device = UUID.randomUUID().toString();
        assertThat(send(as(ActorKind.USER, ALICE, workspace, device, register(device, null))).getStatus())
                .isEqualTo(CommandStatus.ACCEPTED);
        send(envelope(workspace, workspace, ArchiveWorkspace.newBuilder().setWorkspaceId(workspace).build()));
        UpdateDeviceSettings patch = UpdateDeviceSettings.newBuilder().setDeviceId(device).setPatchJson("{}").build();
        assertThat(send(as(ActorKind.USER, ALICE, workspace, device, patch)).getErrorCode()).isEqualTo("workspace.archived");
        assertThat(send(envelope(workspace, workspace, RestoreWorkspace.newBuilder().setWorkspaceId(workspace).build()))
                .getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(send(as(ActorKind.USER, ALICE, workspace, device, patch)).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    }

    @Test
    void whatOnlyThePlatformDoes_isRefusedFromAPerson_whoeverPutItOnTheTopic() throws Exception {
        String user = UUID.randomUUID().toString();
        RegisterUser register = RegisterUser.newBuilder().setUserId(user).setIssuer("http://issuer").setSubject("mallory")
                .setEmail(null).setEmailVerified(false).setName(null).setPlatformAdmin(true).build();

        CommandResult byPerson = send(envelope("#platform", user, register)); // the actor of envelope() is a person
        assertThat(byPerson.getErrorCode()).isEqualTo("auth.forbidden");
        assertThat(jdbc.queryForObject("select count(*) from domainevententry where aggregateidentifier = ?",
                Integer.class, user)).isZero();

        CommandEnvelope bySystem = CommandEnvelope.newBuilder(envelope("#platform", user, register))
                .setActor(Actor.newBuilder().setKind(ActorKind.SYSTEM).setId("ingest-gateway").build()).build();
        assertThat(send(bySystem).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    }

    @Test
    void anUnreadableRecord_goesToTheDeadLetterTopicWithItsReason() throws Exception {
        watch();
        String marker = UUID.randomUUID().toString();
        producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), marker, ("garbage " + marker).getBytes())).get();

        DeadLetter letter = deadLetters.await(d -> new String(d.getPayload().array()).contains(marker), WAIT);
        assertThat(letter.getReasonCode()).isEqualTo("command.unreadable");
        assertThat(letter.getSource()).isEqualTo("command-service");
        assertThat(letter.getReason()).isNotBlank();
    }

    @Test
    void aPayloadThatDoesNotMatchItsEnvelope_isRejectedAsMalformed() throws Exception {
        String id = UUID.randomUUID().toString();
        CommandEnvelope envelope = envelope(ACME, UUID.randomUUID().toString(), register(id, null));

        CommandResult result = send(envelope);

        assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(result.getErrorCode()).isEqualTo("command.malformed");
    }

    @Test
    void commandsWithUnstorableTexts_areRejectedAsInvalid_andTheNextCommandIsApplied() throws Exception {
        String id = UUID.randomUUID().toString();
        RegisterDevice nul = RegisterDevice.newBuilder(register(id, "hw\u0000nul")).build();
        CommandResult invalid = send(envelope(ACME, id, nul));
        assertThat(invalid.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(invalid.getErrorCode()).isEqualTo("command.invalid");
        assertThat(invalid.getErrorMessage()).contains("hardwareId").doesNotContain("\u0000");

        CommandEnvelope hugeWorkspace = envelope("w".repeat(5000), id, register(id, null));
        CommandResult refused = send(hugeWorkspace);
        assertThat(refused.getErrorCode()).isEqualTo("command.invalid");
        assertThat(deadLetters.await(d -> d.getReasonCode().equals("command.invalid")
                && new String(d.getPayload().array()).contains(hugeWorkspace.getCommandId()), WAIT)).isNotNull();

        assertThat(send(envelope(ACME, id, register(id, null))).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    }

    @Test
    void aCommandIdTheDatabaseCannotTake_isRefusedAlone_theCommandsOfItsBatchAreApplied() throws Exception {
        watch();
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        CommandEnvelope nulId = CommandEnvelope.newBuilder(envelope(ACME, first, register(first, null)))
                .setCommandId("nul\u0000" + UUID.randomUUID().toString().substring(0, 8)).build();
        CommandEnvelope before = envelope(ACME, first, register(first, null));
        CommandEnvelope after = envelope(ACME, second, register(second, null));
        // one partition (the same key), sent together: most likely one batch of the intake
        for (CommandEnvelope envelope : java.util.List.of(before, nulId, after)) {
            producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), first,
                    Topics.COMMANDS.valueSerde().serializer().serialize(Topics.COMMANDS.name(), envelope)));
        }
        producer.flush();

        assertThat(results.await(r -> r.getCommandId().equals(before.getCommandId()), WAIT).getStatus())
                .isEqualTo(CommandStatus.ACCEPTED);
        assertThat(results.await(r -> r.getCommandId().equals(after.getCommandId()), WAIT).getStatus())
                .isEqualTo(CommandStatus.ACCEPTED);
        assertThat(results.await(r -> r.getCommandId().equals(nulId.getCommandId()), WAIT).getErrorCode())
                .isEqualTo("command.invalid");
    }

    @Test
    void aCommandTheDatabaseRefuses_isAnsweredRejected_andDoesNotBlockTheCommandsBehindIt() throws Exception {
        String poisoned = "HW-poison-" + UUID.randomUUID();
        String function = "test_refuse_" + UUID.randomUUID().toString().replace("-", "");
        // as an unforeseen cause would: PostgreSQL refuses this hardware id for what it holds
        jdbc.execute("create function " + function + "() returns trigger language plpgsql as $$ begin "
                + "if new.hardware_id = '" + poisoned + "' then raise exception 'refused by a test' using errcode = '22000'; "
                + "end if; return new; end $$");
        jdbc.execute("create trigger " + function + " before insert on device_hardware_id for each row execute function "
                + function + "()");
        try {
            String id = UUID.randomUUID().toString();
            CommandResult refused = send(envelope(ACME, id, register(id, poisoned)));
            assertThat(refused.getStatus()).isEqualTo(CommandStatus.REJECTED);
            assertThat(refused.getErrorCode()).isEqualTo("command.unprocessable");
            assertThat(refused.getErrorMessage()).contains("22000").doesNotContain(function);
            assertThat(jdbc.queryForObject("select count(*) from domainevententry where aggregateidentifier = ?",
                    Integer.class, id)).as("nothing of it is stored").isZero();

            // the same aggregate id, hence the same partition, right behind it
            assertThat(send(envelope(ACME, id, register(id, null))).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        } finally {
            jdbc.execute("drop trigger " + function + " on device_hardware_id");
            jdbc.execute("drop function " + function + "()");
        }
    }
}
