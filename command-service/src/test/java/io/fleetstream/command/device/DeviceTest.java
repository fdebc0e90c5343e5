package io.fleetstream.command.device;

import io.fleetstream.command.intake.CommandRejectedException;
import io.fleetstream.command.intake.CommandTargets;
import io.fleetstream.schemas.device.DecommissionDevice;
import io.fleetstream.schemas.device.DeviceDecommissioned;
import io.fleetstream.schemas.device.DeviceRegistered;
import io.fleetstream.schemas.device.DeviceSettingsUpdated;
import io.fleetstream.schemas.device.RegisterDevice;
import io.fleetstream.schemas.device.UpdateDeviceSettings;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceTest {

    private static final Map<String, Object> ACME = Map.of("workspaceId", "acme");
    private static final String HASH = "0".repeat(64);

    private AggregateTestFixture<Device> fixture;
    private final String id = UUID.randomUUID().toString();

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Device.class);
        fixture.registerCommandTargetResolver(new CommandTargets());
    }

    private RegisterDevice register(String settings) {
        return RegisterDevice.newBuilder().setDeviceId(id).setName("boiler-1").setDeviceType("esp32")
                .setHardwareId("AA:BB").setSettingsJson(settings).setTokenHash(HASH).build();
    }

    private DeviceRegistered registered(String settings) {
        return DeviceRegistered.newBuilder().setDeviceId(id).setName("boiler-1").setDeviceType("esp32")
                .setHardwareId("AA:BB").setSettingsJson(settings).setTokenHash(HASH).build();
    }

    private EventMessage<?> inAcme(Object event) {
        return GenericEventMessage.asEventMessage(event).andMetaData(ACME);
    }

    @Test
    void register_recordsTheDeviceWithCanonicalSettings() {
        fixture.givenNoPriorActivity()
                .when(register("{ \"interval\" : 5 }"), ACME)
                .expectSuccessfulHandlerExecution()
                .expectEvents(registered("{\"interval\":5}"));
    }

    @Test
    void register_rejectsSettingsThatAreNotAnObject() {
        fixture.givenNoPriorActivity()
                .when(register("[1,2]"), ACME)
                .expectException(CommandRejectedException.class)
                .expectExceptionMessage("settings must be a JSON object")
                .expectNoEvents();
    }

    @Test
    void register_rejectsABlankName() {
        fixture.givenNoPriorActivity()
                .when(RegisterDevice.newBuilder(register("{}")).setName(" ").build(), ACME)
                .expectException(CommandRejectedException.class)
                .expectNoEvents();
    }

    @Test
    void register_rejectsATokenHashThatIsNotSha256() {
        fixture.givenNoPriorActivity()
                .when(RegisterDevice.newBuilder(register("{}")).setTokenHash("secret").build(), ACME)
                .expectException(CommandRejectedException.class)
                .expectNoEvents();
    }

    @Test
    void updateSettings_appliesAMergePatch() {
        fixture.given(inAcme(registered("{\"interval\":5,\"mode\":\"eco\",\"net\":{\"ssid\":\"a\",\"ch\":1}}")))
                .when(UpdateDeviceSettings.newBuilder().setDeviceId(id)
                        .setPatchJson("{\"mode\":null,\"net\":{\"ch\":6},\"led\":true}").build(), ACME)
                .expectEvents(DeviceSettingsUpdated.newBuilder().setDeviceId(id)
                        .setSettingsJson("{\"interval\":5,\"net\":{\"ssid\":\"a\",\"ch\":6},\"led\":true}")
                        .setPatchJson("{\"mode\":null,\"net\":{\"ch\":6},\"led\":true}").build());
    }

    @Test
    void updateSettings_thatChangesNothing_recordsNothing() {
        fixture.given(inAcme(registered("{\"interval\":5}")))
                .when(UpdateDeviceSettings.newBuilder().setDeviceId(id).setPatchJson("{\"interval\":5}").build(), ACME)
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void updateSettings_rejectsAPatchThatIsNotJson() {
        fixture.given(inAcme(registered("{}")))
                .when(UpdateDeviceSettings.newBuilder().setDeviceId(id).setPatchJson("{nope").build(), ACME)
                .expectException(CommandRejectedException.class)
                .expectNoEvents();
    }

    @Test
    void decommission_endsTheDevice() {
        fixture.given(inAcme(registered("{}")))
                .when(DecommissionDevice.newBuilder().setDeviceId(id).setReason("broken").build(), ACME)
                .expectEvents(DeviceDecommissioned.newBuilder().setDeviceId(id).setReason("broken").build());
    }

    @Test
    void aDecommissionedDevice_acceptsNoMoreChanges() {
        DeviceDecommissioned gone = DeviceDecommissioned.newBuilder().setDeviceId(id).setReason(null).build();
        fixture.given(inAcme(registered("{}")), inAcme(gone))
                .when(UpdateDeviceSettings.newBuilder().setDeviceId(id).setPatchJson("{\"a\":1}").build(), ACME)
                .expectException(CommandRejectedException.class)
                .expectExceptionMessage("Device " + id + " is decommissioned")
                .expectNoEvents();
        fixture.given(inAcme(registered("{}")), inAcme(gone))
                .when(DecommissionDevice.newBuilder().setDeviceId(id).setReason(null).build(), ACME)
                .expectException(CommandRejectedException.class)
                .expectNoEvents();
    }
}
