package io.fleetstream.gateway.mqtt;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.fleetstream.gateway.GatewayProperties;
import io.fleetstream.gateway.device.DeviceCredentials;
import io.fleetstream.gateway.device.DeviceRevocations;
import io.fleetstream.gateway.telemetry.TelemetryIntake;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The devices' MQTT broker: HiveMQ CE embedded in the gateway, with an embedded extension that
 * authenticates devices, confines them to their own topics and forwards their telemetry to Kafka.
 * In-memory persistence: sessions do not survive a restart, telemetry already went to Kafka.
 */
@Component
@ConditionalOnProperty(prefix = "fleet.gateway.mqtt", name = "enabled", havingValue = "true", matchIfMissing = true)
class MqttBroker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MqttBroker.class);
    /** A telemetry message may carry 64 KiB of payload; anything far larger is refused by the broker itself. */
    private static final int MAX_PACKET_BYTES = 128 * 1024;

    private final GatewayProperties.Mqtt settings;
    private final DeviceCredentials credentials;
    private final TelemetryIntake intake;
    private final DeviceRevocations revocations;
    private final MqttMetrics metrics;
    private final ExecutorService lookups = Executors.newFixedThreadPool(4, r -> {
        Thread thread = new Thread(r, "mqtt-auth");
        thread.setDaemon(true);
        return thread;
    });
    private EmbeddedHiveMQ hivemq;
    private volatile boolean running;

    MqttBroker(GatewayProperties properties, DeviceCredentials credentials, TelemetryIntake intake,
            DeviceRevocations revocations, MeterRegistry meterRegistry) {
        this.metrics = new MqttMetrics(meterRegistry);
        this.settings = properties.mqtt();
        this.credentials = credentials;
        this.intake = intake;
        this.revocations = revocations;
    }

    @Override
    public void start() {
        try {
            Path home = settings.workDir() == null
                    ? Files.createTempDirectory("fleet-mqtt")
                    : Files.createDirectories(settings.workDir());
            Path conf = Files.createDirectories(home.resolve("conf"));
            Files.writeString(conf.resolve("config.xml"), config(settings.port(), settings.bindAddress()));
            hivemq = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(Files.createDirectories(home.resolve("data")))
                    .withExtensionsFolder(Files.createDirectories(home.resolve("extensions")))
                    .withEmbeddedExtension(EmbeddedExtension.builder()
                            .withId("fleetstream-devices")
                            .withName("Fleetstream devices")
                            .withVersion("1")
                            .withPriority(1000)
                            .withStartPriority(1000)
                            .withExtensionMain(new DeviceExtension())
                            .build())
                    .withoutLoggingBootstrap()
                    .build();
            // build() allows unauthenticated clients when no authenticator is registered: never here.
            InternalConfigurations.AUTH_DENY_UNAUTHENTICATED_CONNECTIONS.set(true);
            hivemq.start().get(60, TimeUnit.SECONDS);
            running = true;
            log.info("MQTT broker listening on {}:{}", settings.bindAddress(), settings.port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("MQTT broker did not start on port " + settings.port(), e);
        }
    }

    private static String config(int port, String bindAddress) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                      <name>devices</name>
                    </tcp-listener>
                  </listeners>
                  <persistence><mode>in-memory</mode></persistence>
                  <mqtt>
                    <packets><max-packet-size>%d</max-packet-size></packets>
                  </mqtt>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                  <security><allow-empty-client-id><enabled>true</enabled></allow-empty-client-id></security>
                </hivemq>
                """.formatted(port, bindAddress, MAX_PACKET_BYTES);
    }

    @Override
    public void stop() {
        running = false;
        if (hivemq != null) {
            try {
                hivemq.stop().get(30, TimeUnit.SECONDS);
                hivemq.close();
            } catch (Exception e) {
                log.warn("MQTT broker did not stop cleanly", e);
            }
        }
        lookups.shutdownNow();
    }

    /** Default phase: started after everything it needs, stopped before the Kafka producer and the database. */
    @Override
    public boolean isRunning() {
        return running;
    }

    private final class DeviceExtension implements ExtensionMain {

        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            DeviceAuthenticator authenticator = new DeviceAuthenticator(credentials, lookups, metrics);
            DeviceAuthorizer authorizer = new DeviceAuthorizer(metrics);
            TelemetryInterceptor interceptor = new TelemetryInterceptor(intake, metrics);
            metrics.watchConnections(Services.metricRegistry());
            Services.securityRegistry().setAuthenticatorProvider(provider -> authenticator);
            Services.securityRegistry().setAuthorizerProvider(provider -> authorizer);
            Services.initializerRegistry().setClientInitializer(
                    (initializer, client) -> client.addPublishInboundInterceptor(interceptor));
            // the client id is the device id: a decommissioned device's open session ends at once
            revocations.onRevoked(deviceId -> Services.clientService().disconnectClient(deviceId)
                    .whenComplete((disconnected, error) -> {
                        if (Boolean.TRUE.equals(disconnected)) {
                            log.info("disconnected decommissioned device {}", deviceId);
                        }
                    }));
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
            // nothing to release: the broker's own shutdown ends every connection
        }
    }
}
