package io.fleetstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.fleetstream.infra.testing.EventStreamReader;
import io.fleetstream.infra.testing.TopicWatcher;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.deadletter.DeadLetter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A device's whole life through the running platform, driven as a person (HTTP client) and as a device
 * (HiveMQ MQTT client) would: register, read back, telemetry over MQTT and HTTP, the live stream,
 * refusals, settings, decommissioning.
 */
class DeviceLifecycleE2E {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Platform platform;
    private static TopicWatcher<String, DeadLetter> deadLetters;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String workspace = "e2e-" + UUID.randomUUID();

    @BeforeAll
    static void start() {
        platform = Platform.get();
        deadLetters = TopicWatcher.fromBeginning(platform.infra.kafka().bootstrapServers(), Topics.DEADLETTER.name(),
                Topics.DEADLETTER.keySerde().deserializer(), Topics.DEADLETTER.valueSerde().deserializer());
    }

    @AfterAll
    static void stop() {
        deadLetters.close();
    }

    private String token(String role) {
        return token(workspace, role);
    }

    private String token(String ws, String role) {
        return platform.member(ws, role);
    }

    private HttpResponse<String> send(String method, String path, String token, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.gateway() + platform.under(token, path)))
                .timeout(Duration.ofSeconds(90)) // longer than any wait of the platform: a hang fails, never blocks
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private record Registered(String id, String deviceToken, String consistency) {
    }

    private Registered register(String name, String hardwareId) throws Exception {
        String body = "{\"name\":\"" + name + "\",\"type\":\"esp32\""
                + (hardwareId == null ? "" : ",\"hardwareId\":\"" + hardwareId + "\"")
                + ",\"settings\":{\"interval\":5}}";
        HttpResponse<String> response = send("POST", "/v1/devices", token("member"), body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.get("deviceToken").asString()).startsWith("fdt_");
        assertThat(response.headers().firstValue("Location")).hasValue("/v1/workspaces/" + workspace + "/devices/" + json.get("id").asString());
        Registered registered = new Registered(json.get("id").asString(), json.get("deviceToken").asString(),
                response.headers().firstValue("Fleet-Consistency").orElseThrow());
        // As a provisioning client would: wait until the registration is readable, and so usable by the device.
        assertThat(send("GET", "/v1/devices/" + registered.id(), token("viewer"), null, "Fleet-Consistency",
                registered.consistency()).statusCode()).isEqualTo(200);
        return registered;
    }

    private Mqtt5BlockingClient mqtt5(String username, String password) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(username)
                .serverHost("127.0.0.1").serverPort(platform.mqttPort).buildBlocking();
        client.connectWith().simpleAuth().username(username).password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        return client;
    }

    @Test
    void aDevicesWholeLife() throws Exception {
        Registered device = register("boiler-1", "HW-" + UUID.randomUUID());

        HttpResponse<String> read = send("GET", "/v1/devices/" + device.id(), token("viewer"), null,
                "Fleet-Consistency", device.consistency());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(read.body()).contains("\"name\":\"boiler-1\"", "\"status\":\"active\"", "\"interval\":5")
                .doesNotContain(device.deviceToken()).doesNotContain("tokenHash");

        EventStreamReader stream = openStream(token("viewer"));

        Mqtt5BlockingClient mqtt = mqtt5(device.id(), device.deviceToken());
        mqtt.publishWith().topic("station/st-1/device/" + device.id() + "/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"metrics\":{\"temp\":21.5,\"rpm\":1200}}".getBytes()).send();
        mqtt.publishWith().topic("station/st-1/device/" + device.id() + "/heartbeat").qos(MqttQos.AT_LEAST_ONCE).send();

        await().atMost(WAIT).untilAsserted(() -> assertThat(
                send("GET", "/v1/devices/" + device.id() + "/telemetry?metric=temp", token("viewer"), null).body())
                .contains("\"metric\":\"temp\"", "\"value\":21.5"));
        HttpResponse<String> withMetrics = send("GET", "/v1/devices/" + device.id(), token("viewer"), null);
        assertThat(withMetrics.body()).contains("\"rpm\":{\"value\":1200.0").contains("\"lastSeenAt\"");
        await().atMost(WAIT).untilAsserted(() -> assertThat(stream.lines())
                .anyMatch(l -> l.startsWith("data:") && l.contains(device.id()) && l.contains("\"temp\"")));

        HttpResponse<String> httpTelemetry = send("POST", "/v1/device/telemetry", null,
                "{\"metrics\":{\"humidity\":40}}", "X-Device-Token", device.deviceToken());
        assertThat(httpTelemetry.statusCode()).as(httpTelemetry.body()).isEqualTo(202);
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                send("GET", "/v1/devices/" + device.id(), token("viewer"), null).body()).contains("\"humidity\""));

        HttpResponse<String> patched = send("PATCH", "/v1/devices/" + device.id() + "/settings", token("admin"),
                "{\"interval\":30,\"mode\":\"eco\"}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(send("GET", "/v1/devices/" + device.id(), token("viewer"), null, "Fleet-Consistency",
                patched.headers().firstValue("Fleet-Consistency").orElseThrow()).body())
                .contains("\"interval\":30", "\"mode\":\"eco\"");
        await().atMost(WAIT).until(() -> stream.lines().stream().anyMatch(l -> l.equals("event:device.updated")));

        HttpResponse<String> deleted = send("DELETE", "/v1/devices/" + device.id(), token("owner"), null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        String gone = deleted.headers().firstValue("Fleet-Consistency").orElseThrow();
        HttpResponse<String> after = send("GET", "/v1/devices/" + device.id(), token("viewer"), null, "Fleet-Consistency", gone);
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v1/devices", token("viewer"), null).body()).doesNotContain(device.id());
        assertThat(send("GET", "/v1/devices/" + device.id() + "/history", token("viewer"), null).body())
                .contains("DeviceRegistered", "DeviceSettingsUpdated", "DeviceDecommissioned");

        await("the decommissioned device's open MQTT session is ended").atMost(WAIT)
                .until(() -> !mqtt.getState().isConnected());
        assertThatThrownBy(() -> mqtt5(device.id(), device.deviceToken()))
                .as("a decommissioned device's token no longer connects").isInstanceOf(Mqtt5ConnAckException.class);
        stream.close();
    }

    /** The field an answer names, for a write refused as invalid. */
    private static java.util.List<String> invalidFields(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("code").asString()).as(response.body()).isEqualTo("request.invalid");
        java.util.List<String> fields = new java.util.ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    @Test
    void textsThatCannotBeStored_areRefusedNamingTheField_andTheNextWriteIsReadable() throws Exception {
        String member = token("member");
        assertThat(invalidFields(send("POST", "/v1/devices", member, "{\"name\":\"boi\\u0000ler\",\"type\":\"esp32\"}")))
                .containsExactly("name");
        assertThat(invalidFields(send("POST", "/v1/devices", member, "{\"name\":\"bell\\u0007\",\"type\":\"esp32\"}")))
                .containsExactly("name");
        assertThat(invalidFields(send("POST", "/v1/devices", member,
                "{\"name\":\"n\",\"type\":\"esp32\",\"hardwareId\":\"HW\\u0000\"}"))).containsExactly("hardwareId");
        assertThat(invalidFields(send("POST", "/v1/devices", member,
                "{\"name\":\"n\",\"type\":\"esp32\",\"settings\":{\"mode\":\"eco\\u0000\"}}")))
                .singleElement().satisfies(field -> assertThat(field).startsWith("settings"));
        assertThat(invalidFields(send("POST", "/v1/devices", member,
                "{\"name\":\"n\",\"type\":\"esp32\",\"settings\":{\"k\\u0000\":1}}")))
                .singleElement().satisfies(field -> assertThat(field).startsWith("settings"));
        long now = java.time.Instant.now().getEpochSecond();
        String hugeClaim = platform.infra.issuer().mintUnchecked(java.util.Map.of("iss", platform.infra.issuer().issuer(),
                "sub", "s".repeat(3000), "aud", "fleetstream", "iat", now, "exp", now + 300));
        assertThat(invalidFields(send("POST", platform.under(member, "/v1/devices"), hugeClaim,
                "{\"name\":\"n\",\"type\":\"esp32\"}"))).containsExactly("token.sub");

        Registered afterwards = register("still-fine", "HW-" + UUID.randomUUID());
        assertThat(send("GET", "/v1/devices/" + afterwards.id(), token("viewer"), null).statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongMqttPassword_isRefusedAtConnect() throws Exception {
        Registered device = register("pump-1", null);

        assertThatThrownBy(() -> mqtt5(device.id(), "fdt_wrong"))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
        assertThatThrownBy(() -> mqtt5(UUID.randomUUID().toString(), device.deviceToken()))
                .as("another device's id with this token").isInstanceOf(Mqtt5ConnAckException.class);
        Mqtt5BlockingClient impostor = MqttClient.builder().useMqttVersion5().identifier("someone-else")
                .serverHost("127.0.0.1").serverPort(platform.mqttPort).buildBlocking();
        assertThatThrownBy(() -> impostor.connectWith().simpleAuth().username(device.id())
                .password(device.deviceToken().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send())
                .as("the client id must be the device id, so no one takes over another device's session")
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID));
        Mqtt3BlockingClient anonymous = MqttClient.builder().useMqttVersion3().identifier("anon")
                .serverHost("127.0.0.1").serverPort(platform.mqttPort).buildBlocking();
        assertThatThrownBy(anonymous::connect).isInstanceOf(RuntimeException.class);
    }

    @Test
    void aDevice_mayPublishOnlyUnderItsOwnId() throws Exception {
        Registered mine = register("sensor-a", null);
        Registered other = register("sensor-b", null);
        Mqtt5BlockingClient mqtt = mqtt5(mine.id(), mine.deviceToken());

        assertThatThrownBy(() -> mqtt.publishWith().topic("station/st-1/device/" + other.id() + "/telemetry")
                .qos(MqttQos.AT_LEAST_ONCE).payload("{\"metrics\":{\"temp\":99}}".getBytes()).send())
                .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
        assertThat(send("GET", "/v1/devices/" + other.id() + "/telemetry", token("viewer"), null).body())
                .contains("\"points\":[]");
    }

    @Test
    void malformedTelemetry_isRefusedAndDeadLettered() throws Exception {
        Registered device = register("meter-1", null);
        Mqtt5BlockingClient mqtt = mqtt5(device.id(), device.deviceToken());
        String marker = UUID.randomUUID().toString();

        assertThatThrownBy(() -> mqtt.publishWith().topic("station/st-1/device/" + device.id() + "/telemetry")
                .qos(MqttQos.AT_LEAST_ONCE).payload(("{\"metrics\": \"" + marker + "\"}").getBytes()).send())
                .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID));

        DeadLetter letter = deadLetters.await(d -> new String(d.getPayload().array()).contains(marker), WAIT);
        assertThat(letter.getReasonCode()).isEqualTo("telemetry.malformed");
        assertThat(letter.getDeviceId()).isEqualTo(device.id());
        assertThat(letter.getWorkspaceId()).isEqualTo(platform.workspaceId(workspace));
        assertThat(letter.getReason()).contains("metrics");

        HttpResponse<String> overHttp = send("POST", "/v1/device/telemetry", null, "{\"metrics\":[]}",
                "X-Device-Token", device.deviceToken());
        assertThat(overHttp.statusCode()).isEqualTo(400);
        assertThat(overHttp.body()).contains("\"code\":\"telemetry.malformed\"");
        assertThat(send("POST", "/v1/device/telemetry", null, "{\"metrics\":{\"a\":1}}", "X-Device-Token", "fdt_nope")
                .statusCode()).isEqualTo(401);

        String huge = "{\"metrics\":{\"a\":1},\"pad\":\"" + "x".repeat(70_000) + "\"}";
        HttpResponse<String> tooLarge = send("POST", "/v1/device/telemetry", null, huge, "X-Device-Token", device.deviceToken());
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("\"code\":\"telemetry.too-large\"");
        assertThatThrownBy(() -> mqtt.publishWith().topic("station/st-1/device/" + device.id() + "/telemetry")
                .qos(MqttQos.AT_LEAST_ONCE).payload(new byte[512 * 1024]).send())
                .as("the broker refuses packets over its advertised maximum").isInstanceOf(RuntimeException.class);
    }

    @Test
    void peopleGetClearRefusals() throws Exception {
        Registered device = register("display-1", "HW-dup-" + workspace);

        HttpResponse<String> foreign = send("GET", "/v1/devices/" + device.id(), token("other-" + workspace, "owner"), null);
        assertThat(foreign.statusCode()).isEqualTo(404);
        HttpResponse<String> theirs = send("GET", platform.under(token("member"), "/v1/devices/" + device.id()),
                token("other-" + workspace, "owner"), null);
        assertThat(theirs.statusCode()).as("another workspace looks like none").isEqualTo(404);
        assertThat(theirs.body()).contains("\"code\":\"workspace.not-found\"");
        assertThat(foreign.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(send("DELETE", "/v1/devices/" + device.id(), token("other-" + workspace, "owner"), null).statusCode())
                .isEqualTo(404);

        HttpResponse<String> malformed = send("POST", "/v1/devices", token("member"), "{\"name\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(malformed.body()).contains("\"code\":\"request.malformed\"").doesNotContain("Exception");

        HttpResponse<String> invalid = send("POST", "/v1/devices", token("member"), "{\"name\":\"\",\"type\":\"x y\"}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("\"code\":\"request.invalid\"", "\"field\":\"name\"", "\"field\":\"type\"");

        HttpResponse<String> huge = send("POST", "/v1/devices", token("member"),
                "{\"name\":\"n\",\"type\":\"t\",\"settings\":{\"pad\":\"" + "x".repeat(2_000_000) + "\"}}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.body()).contains("\"code\":\"request.too-large\"");

        HttpResponse<String> viewer = send("POST", "/v1/devices", token("viewer"), "{\"name\":\"n\",\"type\":\"t\"}");
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(viewer.body()).contains("\"code\":\"auth.forbidden\"");

        HttpResponse<String> anonymous = send("POST", "/v1/devices", null, "{\"name\":\"n\",\"type\":\"t\"}");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();

        HttpResponse<String> duplicate = send("POST", "/v1/devices", token("member"),
                "{\"name\":\"display-2\",\"type\":\"esp32\",\"hardwareId\":\"HW-dup-" + workspace + "\"}");
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.body()).contains("\"code\":\"device.hardware-id-taken\"");

        HttpResponse<String> badSettings = send("PATCH", "/v1/devices/" + device.id() + "/settings", token("member"), "[1]");
        assertThat(badSettings.statusCode()).isEqualTo(400);

        assertThat(send("GET", "/v1/health", null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v1/devices", token("viewer"), null, "X-Request-Id", "e2e-trace-1").headers()
                .allValues("X-Request-Id")).as("one request id, the caller's, answered once").containsExactly("e2e-trace-1");
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> openapi = send("GET", "/v1/openapi.json", null, null);
            assertThat(openapi.statusCode()).isEqualTo(200);
            JsonNode paths = JSON.readTree(openapi.body()).get("paths");
            JsonNode devices = paths.get("/v1/workspaces/{workspace}/devices");
            assertThat(devices.has("post")).as("writes, described by the gateway").isTrue();
            assertThat(devices.has("get")).as("reads, described by the query service").isTrue();
            assertThat(devices.get("post").get("x-fleet-scope").asString()).isEqualTo("devices:write");
            assertThat(paths.has("/v1/workspaces/{workspace}/devices/{id}/telemetry")).isTrue();
        });
        assertThat(send("GET", "/docs", null, null).statusCode()).isIn(200, 302);
    }

    @Test
    void eventStreams_areCappedPerGateway_andFreedWhenClientsLeave() throws Exception {
        // the streams of earlier tests are let go a moment after their clients leave
        await("earlier streams released").atMost(Duration.ofSeconds(60)).until(() ->
                send("GET", "/v1/prometheus", null, null).body().lines()
                        .anyMatch(line -> line.matches("fleet_gateway_streams(\\{[^}]*})? 0(\\.0)?")));
        java.util.List<EventStreamReader> open = new java.util.ArrayList<>();
        try {
            EventStreamReader refused = null;
            for (int i = 0; i <= Platform.MAX_STREAMS && refused == null; i++) {
                EventStreamReader stream = EventStreamReader.open(http, URI.create(platform.gateway()
                        + platform.under(token("viewer"), "/v1/stream")), token("viewer"));
                if (stream.status() == 503) {
                    refused = stream;
                } else {
                    open.add(stream);
                }
            }
            assertThat(refused).as("a stream beyond the cap is refused").isNotNull();
            assertThat(open).hasSizeGreaterThan(Platform.GATEWAY_REQUEST_THREADS);
            assertThat(send("GET", "/v1/devices", token("viewer"), null).statusCode())
                    .as("open streams hold no request thread: with more streams than threads, reads are still served")
                    .isEqualTo(200);
        } finally {
            for (EventStreamReader stream : open) {
                stream.close();
            }
        }
        await("a departed client's stream is released").atMost(Duration.ofSeconds(60)).until(() -> {
            EventStreamReader again = EventStreamReader.open(http, URI.create(platform.gateway()
                    + platform.under(token("viewer"), "/v1/stream")), token("viewer"));
            again.close();
            return again.status() == 200;
        });
    }

    @Test
    void anOperatorRebuildsTheDevicesReadModel_whileThePlatformRuns() throws Exception {
        Registered kept = register("rebuilt-1", null);
        HttpResponse<String> patched = send("PATCH", "/v1/devices/" + kept.id() + "/settings", token("admin"),
                "{\"mode\":\"eco\"}");
        send("GET", "/v1/devices/" + kept.id(), token("viewer"), null, "Fleet-Consistency",
                patched.headers().firstValue("Fleet-Consistency").orElseThrow());
        Registered gone = register("rebuilt-2", null);
        HttpResponse<String> deleted = send("DELETE", "/v1/devices/" + gone.id(), token("owner"), null);
        send("GET", "/v1/devices/" + gone.id(), token("viewer"), null, "Fleet-Consistency",
                deleted.headers().firstValue("Fleet-Consistency").orElseThrow());
        String listBefore = send("GET", "/v1/devices?status=all", token("viewer"), null).body();
        String historyBefore = send("GET", "/v1/devices/" + kept.id() + "/history", token("viewer"), null).body();

        Platform.Outcome rebuilt = platform.run("projector", "rebuild", "devices");

        assertThat(rebuilt.exitCode()).as(rebuilt.output()).isZero();
        assertThat(rebuilt.output()).contains("rebuilt projector-devices from fleet.events");
        assertThat(send("GET", "/v1/devices?status=all", token("viewer"), null).body()).isEqualTo(listBefore);
        assertThat(send("GET", "/v1/devices/" + kept.id() + "/history", token("viewer"), null).body())
                .isEqualTo(historyBefore);
        Mqtt5BlockingClient mqtt = mqtt5(kept.id(), kept.deviceToken());
        mqtt.disconnect();
        register("after-rebuild", null); // answered and readable: the live projector carries on

        Platform.Outcome refused = platform.run("projector", "rebuild", "telemetry");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("not rebuilt", "fleet.telemetry is not kept forever");
    }

    private EventStreamReader openStream(String token) {
        // as a client would: a gateway at its stream limit says 503, try again shortly
        EventStreamReader stream = await().atMost(WAIT).until(() -> {
            EventStreamReader attempt = EventStreamReader.open(http, URI.create(platform.gateway()
                    + platform.under(token, "/v1/stream")), token);
            if (attempt.status() != 200) {
                attempt.close();
            }
            return attempt;
        }, attempt -> attempt.status() == 200);
        await().atMost(WAIT).until(() -> stream.lines().stream().anyMatch(l -> l.contains("connected")));
        return stream;
    }
}
