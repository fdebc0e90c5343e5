package io.fleetstream.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceTopicsTest {

    @Test
    void aDeviceOwnsOnlyTopicsUnderItsOwnId() {
        assertThat(DeviceTopics.owns("d1", "station/s1/device/d1/telemetry")).isTrue();
        assertThat(DeviceTopics.owns("d1", "station/s1/device/d1/commands/#")).isTrue();
        assertThat(DeviceTopics.owns("d1", "station/s1/device/d2/telemetry")).isFalse();
        assertThat(DeviceTopics.owns("d1", "station/+/device/d2/telemetry")).isFalse();
        assertThat(DeviceTopics.owns("d1", "station/+/device/d1/commands")).isTrue();
        assertThat(DeviceTopics.owns("d1", "station/s1/device/+/telemetry")).isFalse();
        assertThat(DeviceTopics.owns("d1", "station/s1/device/#")).isFalse();
        assertThat(DeviceTopics.owns("d1", "#")).isFalse();
        assertThat(DeviceTopics.owns("d1", "$share/g/station/s1/device/d1/telemetry")).isFalse();
        assertThat(DeviceTopics.owns("d1", "station/s1/device/d1")).isFalse();
    }

    @Test
    void parse_splitsStationDeviceAndKind() {
        assertThat(DeviceTopics.parse("station/st-9/device/d1/heartbeat"))
                .contains(new io.fleetstream.schemas.DeviceTopic.Parsed("st-9", "d1", "heartbeat"));
    }
}
