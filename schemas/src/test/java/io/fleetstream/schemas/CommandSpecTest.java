package io.fleetstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetstream.schemas.CommandSpec.Access;
import io.fleetstream.schemas.device.RegisterDevice;
import io.fleetstream.schemas.device.UpdateDeviceSettings;
import org.junit.jupiter.api.Test;

class CommandSpecTest {

    @Test
    void everyCommand_declaresItsAggregateAccessAndScope() {
        assertThat(CommandSpec.all()).hasSameSizeAs(Payloads.COMMANDS).allSatisfy(spec -> {
            assertThat(spec.aggregateType()).matches("[a-z][a-z-]*");
            assertThat(spec.idField().schema().getType()).isEqualTo(org.apache.avro.Schema.Type.STRING);
            assertThat(spec.scope()).matches("[a-z-]+:(read|write)|platform");
        });
    }

    @Test
    void aCreatingCommand_isToldApartFromTheOthers() {
        assertThat(CommandSpec.of(RegisterDevice.class).creates()).isTrue();
        assertThat(CommandSpec.of(UpdateDeviceSettings.class).creates()).isFalse();
        assertThat(CommandSpec.forType("UpdateDeviceSettings")).map(CommandSpec::aggregateType).contains("device");
        assertThat(CommandSpec.forType("DeviceRegistered")).isEmpty();
    }

    @Test
    void theTarget_isTheFieldMarkedAsAggregateId() {
        UpdateDeviceSettings command = UpdateDeviceSettings.newBuilder().setDeviceId(Samples.DEVICE).setPatchJson("{}").build();
        assertThat(CommandSpec.of(command).aggregateId(command)).isEqualTo(Samples.DEVICE);
    }

    @Test
    void workspaceRoles_areAtLeast() {
        assertThat(Access.ADMIN.allowsRole("owner")).isTrue();
        assertThat(Access.ADMIN.allowsRole("admin")).isTrue();
        assertThat(Access.ADMIN.allowsRole("member")).isFalse();
        assertThat(Access.MEMBER.allowsRole("viewer")).isFalse();
        assertThat(Access.VIEWER.allowsRole("viewer")).isTrue();
        assertThat(Access.OWNER.allowsRole("admin")).isFalse();
        assertThat(Access.PLATFORM_ADMIN.allowsRole("owner")).isFalse();
        assertThat(Access.SYSTEM.allowsRole("owner")).isFalse();
        assertThat(Access.MEMBER.allowsRole("superuser")).isFalse();
    }
}
