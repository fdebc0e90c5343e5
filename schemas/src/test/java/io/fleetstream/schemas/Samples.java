package io.fleetstream.schemas;

import io.fleetstream.schemas.command.Actor;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.schemas.command.CommandEnvelope;
import io.fleetstream.schemas.command.CommandResult;
import io.fleetstream.schemas.command.CommandStatus;
import io.fleetstream.schemas.deadletter.DeadLetter;
import io.fleetstream.schemas.device.DecommissionDevice;
import io.fleetstream.schemas.device.DeviceDecommissioned;
import io.fleetstream.schemas.device.DeviceRegistered;
import io.fleetstream.schemas.device.DeviceSettingsUpdated;
import io.fleetstream.schemas.device.RegisterDevice;
import io.fleetstream.schemas.device.UpdateDeviceSettings;
import io.fleetstream.schemas.event.EventEnvelope;
import io.fleetstream.schemas.user.*;
import io.fleetstream.schemas.workspace.*;
import io.fleetstream.schemas.telemetry.TelemetryBatch;
import io.fleetstream.schemas.telemetry.TelemetryPoint;
import io.fleetstream.schemas.telemetry.TelemetrySource;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** One filled-in value of every record schema, with optional fields set. */
final class Samples {

    static final String DEVICE = "6f1c1d2e-8a5b-4c3d-9e7f-0a1b2c3d4e5f";
    static final String WORKSPACE = "0b9d6c3e-1f2a-4b5c-8d7e-9f0a1b2c3d4e";
    static final String USER = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private Samples() {
    }

    static List<SpecificRecord> all() {
        Actor actor = Actor.newBuilder().setKind(ActorKind.USER).setId("alice").build();
        RegisterDevice register = RegisterDevice.newBuilder().setDeviceId(DEVICE).setName("boiler-1")
                .setDeviceType("esp32").setHardwareId("AA:BB").setSettingsJson("{\"interval\":5}")
                .setTokenHash("ab".repeat(32)).build();
        List<SpecificRecord> tenancy = List.of(
                CreateWorkspace.newBuilder().setWorkspaceId(WORKSPACE).setName("Acme").setSlug("acme")
                        .setTimezone("Europe/Berlin").setOwnerId(USER).build(),
                UpdateWorkspace.newBuilder().setWorkspaceId(WORKSPACE).setName("Acme Ltd").setSlug("acme-ltd")
                        .setTimezone("UTC").build(),
                ArchiveWorkspace.newBuilder().setWorkspaceId(WORKSPACE).build(),
                RestoreWorkspace.newBuilder().setWorkspaceId(WORKSPACE).build(),
                DeleteWorkspace.newBuilder().setWorkspaceId(WORKSPACE).build(),
                AddMember.newBuilder().setWorkspaceId(WORKSPACE).setUserId(USER).setRole("admin").build(),
                ChangeMemberRole.newBuilder().setWorkspaceId(WORKSPACE).setUserId(USER).setRole("viewer").build(),
                RemoveMember.newBuilder().setWorkspaceId(WORKSPACE).setUserId(USER).build(),
                WorkspaceCreated.newBuilder().setWorkspaceId(WORKSPACE).setName("Acme").setSlug("acme")
                        .setTimezone("UTC").setOwnerId(USER).build(),
                WorkspaceUpdated.newBuilder().setWorkspaceId(WORKSPACE).setName("Acme").setSlug("acme-2")
                        .setTimezone("UTC").build(),
                WorkspaceArchived.newBuilder().setWorkspaceId(WORKSPACE).build(),
                WorkspaceRestored.newBuilder().setWorkspaceId(WORKSPACE).build(),
                WorkspaceDeleted.newBuilder().setWorkspaceId(WORKSPACE).build(),
                MemberAdded.newBuilder().setWorkspaceId(WORKSPACE).setUserId(USER).setRole("member").build(),
                MemberRoleChanged.newBuilder().setWorkspaceId(WORKSPACE).setUserId(USER).setRole("owner")
                        .setPreviousRole("member").build(),
                MemberRemoved.newBuilder().setWorkspaceId(WORKSPACE).setUserId(USER).build(),
                RegisterUser.newBuilder().setUserId(USER).setIssuer("http://localhost:8089").setSubject("alice")
                        .setEmail("alice@example.com").setEmailVerified(true).setName("Alice").setPlatformAdmin(false).build(),
                UpdateUserClaims.newBuilder().setUserId(USER).setEmail("alice@example.org").setEmailVerified(true)
                        .setName("Alice B").build(),
                UpdateUserProfile.newBuilder().setUserId(USER).setName("Al").setDefaultWorkspace(WORKSPACE)
                        .setTimezone("Europe/Paris").build(),
                GrantPlatformAdmin.newBuilder().setUserId(USER).build(),
                RevokePlatformAdmin.newBuilder().setUserId(USER).build(),
                UserRegistered.newBuilder().setUserId(USER).setIssuer("http://localhost:8089").setSubject("alice")
                        .setEmail(null).setEmailVerified(false).setName(null).setPlatformAdmin(true).build(),
                UserClaimsUpdated.newBuilder().setUserId(USER).setEmail("a@example.com").setEmailVerified(false)
                        .setName(null).build(),
                UserProfileUpdated.newBuilder().setUserId(USER).setName(null).setDefaultWorkspace(null)
                        .setTimezone("UTC").build(),
                PlatformAdminGranted.newBuilder().setUserId(USER).build(),
                PlatformAdminRevoked.newBuilder().setUserId(USER).build(),
                io.fleetstream.schemas.workspace.InviteMember.newBuilder().setWorkspaceId(WORKSPACE).setInvitationId(DEVICE)
                        .setEmail("bob@example.com").setRole("member").setTokenHash("cd".repeat(32)).setExpiresAt(NOW)
                        .setInvitedBy(USER).build(),
                io.fleetstream.schemas.workspace.MemberInvited.newBuilder().setWorkspaceId(WORKSPACE).setInvitationId(DEVICE)
                        .setEmail("bob@example.com").setRole("viewer").setTokenHash("cd".repeat(32)).setExpiresAt(NOW)
                        .setInvitedBy(USER).build(),
                io.fleetstream.schemas.workspace.WithdrawInvitation.newBuilder().setWorkspaceId(WORKSPACE)
                        .setInvitationId(DEVICE).build(),
                io.fleetstream.schemas.workspace.InvitationWithdrawn.newBuilder().setWorkspaceId(WORKSPACE)
                        .setInvitationId(DEVICE).build(),
                io.fleetstream.schemas.workspace.LeaveWorkspace.newBuilder().setWorkspaceId(WORKSPACE).setUserId(USER).build(),
                io.fleetstream.schemas.workspace.AcceptInvitation.newBuilder().setWorkspaceId(WORKSPACE).setInvitationId(DEVICE)
                        .setTokenHash("cd".repeat(32)).setUserId(USER).setEmail("bob@example.com").build(),
                io.fleetstream.schemas.workspace.InvitationAccepted.newBuilder().setWorkspaceId(WORKSPACE)
                        .setInvitationId(DEVICE).setUserId(USER).build(),
                io.fleetstream.schemas.apikey.CreateApiKey.newBuilder().setKeyId(DEVICE).setWorkspaceId(WORKSPACE)
                        .setName("ci").setPrefix("fsk_ABCD2345").setSecretHash("ef".repeat(32))
                        .setScopes(List.of("devices:read", "telemetry:write")).setCreatorId(USER).setExpiresAt(NOW).build(),
                io.fleetstream.schemas.apikey.ApiKeyCreated.newBuilder().setKeyId(DEVICE).setWorkspaceId(WORKSPACE)
                        .setName("ci").setPrefix("fsk_ABCD2345").setSecretHash("ef".repeat(32))
                        .setScopes(List.of("*:read")).setCreatorId(USER).setExpiresAt(null).build(),
                io.fleetstream.schemas.apikey.RevokeApiKey.newBuilder().setKeyId(DEVICE).build(),
                io.fleetstream.schemas.apikey.ApiKeyRevoked.newBuilder().setKeyId(DEVICE).setWorkspaceId(WORKSPACE).build(),
                io.fleetstream.schemas.team.CreateTeam.newBuilder().setTeamId(DEVICE).setWorkspaceId(WORKSPACE).setName("Ops").build(),
                io.fleetstream.schemas.team.TeamCreated.newBuilder().setTeamId(DEVICE).setWorkspaceId(WORKSPACE).setName("Ops").build(),
                io.fleetstream.schemas.team.RenameTeam.newBuilder().setTeamId(DEVICE).setName("Field").build(),
                io.fleetstream.schemas.team.TeamRenamed.newBuilder().setTeamId(DEVICE).setName("Field").build(),
                io.fleetstream.schemas.team.DeleteTeam.newBuilder().setTeamId(DEVICE).build(),
                io.fleetstream.schemas.team.TeamDeleted.newBuilder().setTeamId(DEVICE).build(),
                io.fleetstream.schemas.team.AddTeamMember.newBuilder().setTeamId(DEVICE).setUserId(USER).build(),
                io.fleetstream.schemas.team.TeamMemberAdded.newBuilder().setTeamId(DEVICE).setUserId(USER).build(),
                io.fleetstream.schemas.team.RemoveTeamMember.newBuilder().setTeamId(DEVICE).setUserId(USER).build(),
                io.fleetstream.schemas.team.TeamMemberRemoved.newBuilder().setTeamId(DEVICE).setUserId(USER).build(),
                io.fleetstream.schemas.device.AssignDeviceTeam.newBuilder().setDeviceId(DEVICE).setTeamId(USER).build(),
                io.fleetstream.schemas.device.DeviceTeamAssigned.newBuilder().setDeviceId(DEVICE).setTeamId(null).build());
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(
                actor,
                register,
                UpdateDeviceSettings.newBuilder().setDeviceId(DEVICE).setPatchJson("{\"interval\":null}").build(),
                DecommissionDevice.newBuilder().setDeviceId(DEVICE).setReason("broken").build(),
                DeviceRegistered.newBuilder().setDeviceId(DEVICE).setName("boiler-1").setDeviceType("esp32")
                        .setHardwareId(null).setSettingsJson("{}").setTokenHash("cd".repeat(32)).build(),
                DeviceSettingsUpdated.newBuilder().setDeviceId(DEVICE).setSettingsJson("{\"a\":1}")
                        .setPatchJson("{\"a\":1}").build(),
                DeviceDecommissioned.newBuilder().setDeviceId(DEVICE).setReason(null).build(),
                CommandEnvelope.newBuilder().setCommandId("c-1").setType("RegisterDevice").setWorkspaceId("acme")
                        .setAggregateId(DEVICE).setActor(actor).setIssuedAt(NOW)
                        .setPayload(ByteBuffer.wrap(Payloads.encode(register))).build(),
                CommandResult.newBuilder().setCommandId("c-1").setWorkspaceId("acme").setAggregateId(DEVICE)
                        .setStatus(CommandStatus.REJECTED).setAggregateVersion(null)
                        .setErrorCode("device.not-found").setErrorMessage("no such device").setCompletedAt(NOW).build(),
                EventEnvelope.newBuilder().setEventId("e-1").setAggregateType("device").setAggregateId(DEVICE)
                        .setSequence(3).setWorkspaceId("acme").setOccurredAt(NOW).setType("DeviceRegistered")
                        .setCommandId("c-1").setActor(actor).setPayload(ByteBuffer.wrap(new byte[] {1, 2})).build(),
                TelemetryBatch.newBuilder().setWorkspaceId("acme").setDeviceId(DEVICE).setStationId("st-1")
                        .setSource(TelemetrySource.MQTT).setReceivedAt(NOW)
                        .setPoints(List.of(TelemetryPoint.newBuilder().setMetric("temp").setTimestamp(NOW)
                                .setValue(21.5).build())).build(),
                DeadLetter.newBuilder().setSource("mqtt").setOrigin("station/s/device/d/telemetry")
                        .setReasonCode("telemetry.malformed").setReason("not JSON").setWorkspaceId("acme")
                        .setDeviceId(DEVICE).setReceivedAt(NOW).setPayload(ByteBuffer.wrap(new byte[] {'x'})).build()),
                tenancy.stream()).toList();
    }
}
