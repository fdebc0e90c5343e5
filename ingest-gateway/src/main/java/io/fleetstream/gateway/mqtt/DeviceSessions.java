package io.fleetstream.gateway.mqtt;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import io.fleetstream.gateway.device.AuthenticatedDevice;
import java.util.Optional;

/** The authenticated device of an MQTT connection, kept in HiveMQ's per-connection attributes. */
final class DeviceSessions {

    private static final String DEVICE_ID = "fleet.device-id";
    private static final String WORKSPACE_ID = "fleet.workspace-id";

    private DeviceSessions() {
    }

    static void remember(ConnectionInformation connection, AuthenticatedDevice device) {
        ConnectionAttributeStore store = connection.getConnectionAttributeStore();
        store.putAsString(DEVICE_ID, device.deviceId());
        store.putAsString(WORKSPACE_ID, device.workspaceId());
    }

    static Optional<AuthenticatedDevice> of(ConnectionInformation connection) {
        ConnectionAttributeStore store = connection.getConnectionAttributeStore();
        Optional<String> deviceId = store.getAsString(DEVICE_ID);
        Optional<String> workspaceId = store.getAsString(WORKSPACE_ID);
        return deviceId.isPresent() && workspaceId.isPresent()
                ? Optional.of(new AuthenticatedDevice(deviceId.get(), workspaceId.get()))
                : Optional.empty();
    }
}
