package io.fleetstream.schemas;

import io.fleetstream.schemas.device.DecommissionDevice;
import io.fleetstream.schemas.device.DeviceDecommissioned;
import io.fleetstream.schemas.device.DeviceRegistered;
import io.fleetstream.schemas.device.DeviceSettingsUpdated;
import io.fleetstream.schemas.device.RegisterDevice;
import io.fleetstream.schemas.device.UpdateDeviceSettings;
import io.fleetstream.schemas.user.GrantPlatformAdmin;
import io.fleetstream.schemas.workspace.WithdrawInvitation;
import io.fleetstream.schemas.workspace.LeaveWorkspace;
import io.fleetstream.schemas.workspace.InvitationWithdrawn;
import io.fleetstream.schemas.user.RevokePlatformAdmin;
import io.fleetstream.schemas.user.PlatformAdminRevoked;
import io.fleetstream.schemas.user.PlatformAdminGranted;
import io.fleetstream.schemas.user.RegisterUser;
import io.fleetstream.schemas.user.UpdateUserClaims;
import io.fleetstream.schemas.user.UpdateUserProfile;
import io.fleetstream.schemas.user.UserClaimsUpdated;
import io.fleetstream.schemas.user.UserProfileUpdated;
import io.fleetstream.schemas.user.UserRegistered;
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
import io.fleetstream.schemas.workspace.InviteMember;
import io.fleetstream.schemas.workspace.MemberInvited;
import io.fleetstream.schemas.workspace.AcceptInvitation;
import io.fleetstream.schemas.workspace.InvitationAccepted;
import io.fleetstream.schemas.apikey.CreateApiKey;
import io.fleetstream.schemas.device.AssignDeviceTeam;
import io.fleetstream.schemas.device.DeviceTeamAssigned;
import io.fleetstream.schemas.team.AddTeamMember;
import io.fleetstream.schemas.team.CreateTeam;
import io.fleetstream.schemas.team.DeleteTeam;
import io.fleetstream.schemas.team.RemoveTeamMember;
import io.fleetstream.schemas.team.RenameTeam;
import io.fleetstream.schemas.team.TeamCreated;
import io.fleetstream.schemas.team.TeamDeleted;
import io.fleetstream.schemas.team.TeamMemberAdded;
import io.fleetstream.schemas.team.TeamMemberRemoved;
import io.fleetstream.schemas.team.TeamRenamed;
import io.fleetstream.schemas.apikey.ApiKeyCreated;
import io.fleetstream.schemas.apikey.RevokeApiKey;
import io.fleetstream.schemas.apikey.ApiKeyRevoked;
import io.fleetstream.schemas.workspace.WorkspaceRestored;
import io.fleetstream.schemas.workspace.WorkspaceUpdated;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The command and event records that travel inside envelopes, by their type name (the record's simple
 * name, as written in the envelope's {@code type}).
 */
public final class Payloads {

    public static final List<Class<? extends SpecificRecord>> COMMANDS = List.of(
            RegisterDevice.class, UpdateDeviceSettings.class, DecommissionDevice.class,
            CreateWorkspace.class, UpdateWorkspace.class, ArchiveWorkspace.class, RestoreWorkspace.class,
            DeleteWorkspace.class, AddMember.class, ChangeMemberRole.class, RemoveMember.class,
            InviteMember.class, AcceptInvitation.class, WithdrawInvitation.class, LeaveWorkspace.class,
            RegisterUser.class, UpdateUserClaims.class, UpdateUserProfile.class, GrantPlatformAdmin.class,
            RevokePlatformAdmin.class,
            CreateApiKey.class, RevokeApiKey.class,
            CreateTeam.class, RenameTeam.class, DeleteTeam.class, AddTeamMember.class, RemoveTeamMember.class,
            AssignDeviceTeam.class);

    public static final List<Class<? extends SpecificRecord>> EVENTS = List.of(
            DeviceRegistered.class, DeviceSettingsUpdated.class, DeviceDecommissioned.class,
            WorkspaceCreated.class, WorkspaceUpdated.class, WorkspaceArchived.class, WorkspaceRestored.class,
            WorkspaceDeleted.class, MemberAdded.class, MemberRoleChanged.class, MemberRemoved.class,
            MemberInvited.class, InvitationAccepted.class, InvitationWithdrawn.class,
            UserRegistered.class, UserClaimsUpdated.class, UserProfileUpdated.class, PlatformAdminGranted.class,
            PlatformAdminRevoked.class,
            ApiKeyCreated.class, ApiKeyRevoked.class,
            TeamCreated.class, TeamRenamed.class, TeamDeleted.class, TeamMemberAdded.class, TeamMemberRemoved.class,
            DeviceTeamAssigned.class);

    private static final Map<String, AvroCodec<? extends SpecificRecord>> BY_TYPE = new LinkedHashMap<>();

    static {
        COMMANDS.forEach(Payloads::register);
        EVENTS.forEach(Payloads::register);
    }

    private Payloads() {
    }

    private static void register(Class<? extends SpecificRecord> type) {
        BY_TYPE.put(type.getSimpleName(), AvroCodec.of(type));
    }

    public static String typeOf(SpecificRecord payload) {
        return payload.getClass().getSimpleName();
    }

    public static Optional<AvroCodec<? extends SpecificRecord>> codecFor(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> byte[] encode(T payload) {
        AvroCodec<T> codec = (AvroCodec<T>) BY_TYPE.get(typeOf(payload));
        if (codec == null) {
            throw new MalformedRecordException("unknown payload type " + payload.getClass().getName());
        }
        return codec.encode(payload);
    }

    /**
     * @throws UnknownSchemaException   for a type (or a version of it) this build does not know
     * @throws MalformedRecordException for bytes that do not match the type
     */
    public static SpecificRecord decode(String type, byte[] bytes) {
        return codecFor(type)
                .orElseThrow(() -> new UnknownSchemaException("unknown payload type " + Text.printable(type, 64)))
                .decode(bytes);
    }
}
