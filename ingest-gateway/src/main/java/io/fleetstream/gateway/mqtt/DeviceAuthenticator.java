package io.fleetstream.gateway.mqtt;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import io.fleetstream.gateway.device.DeviceCredentials;
import io.fleetstream.schemas.Text;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECT: client id = username = device id, password = device token. The database lookup runs off
 * HiveMQ's threads; anything but a live device's own token is refused.
 */
final class DeviceAuthenticator implements SimpleAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(DeviceAuthenticator.class);

    private final DeviceCredentials credentials;
    private final Executor lookups;

    private final MqttMetrics metrics;

    DeviceAuthenticator(DeviceCredentials credentials, Executor lookups, MqttMetrics metrics) {
        this.credentials = credentials;
        this.lookups = lookups;
        this.metrics = metrics;
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        Optional<String> username = input.getConnectPacket().getUserName();
        Optional<ByteBuffer> password = input.getConnectPacket().getPassword();
        if (username.isEmpty() || password.isEmpty()) {
            metrics.connect("bad-credentials");
            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "device id and token required");
            return;
        }
        ByteBuffer buffer = password.get().duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        String deviceId = username.get();
        if (deviceId.length() > 128 || Text.lineProblem(deviceId) != null) {
            metrics.connect("bad-credentials");
            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "the user name must be a device id");
            return;
        }
        // One session per device: a client id other than the device id could take over another device's session.
        if (!input.getClientInformation().getClientId().equals(deviceId)) {
            metrics.connect("client-id-invalid");
            output.failAuthentication(ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "the client id must be the device id");
            return;
        }
        String token = new String(bytes, StandardCharsets.UTF_8);
        Async<SimpleAuthOutput> async = output.async(Duration.ofSeconds(10), TimeoutFallback.FAILURE,
                ConnackReasonCode.SERVER_UNAVAILABLE, "authentication timed out");
        CompletableFuture.supplyAsync(() -> credentials.authenticate(deviceId, token), lookups)
                .whenComplete((device, error) -> {
                    try {
                        if (error != null) {
                            log.warn("device authentication failed for {}: {}", deviceId, error.getMessage());
                            metrics.connect("unavailable");
                            output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "try again later");
                        } else if (device.isPresent()) {
                            DeviceSessions.remember(input.getConnectionInformation(), device.get());
                            metrics.connect("accepted");
                            output.authenticateSuccessfully();
                        } else {
                            metrics.connect("bad-credentials");
                            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "unknown device or token");
                        }
                    } finally {
                        async.resume();
                    }
                });
    }
}
