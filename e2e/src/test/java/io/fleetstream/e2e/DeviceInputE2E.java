package io.fleetstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.fleetstream.infra.testing.TopicWatcher;
import io.fleetstream.schemas.DeviceTopic;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.deadletter.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generated malformed and boundary input on every device topic of the contract table ({@link DeviceTopic}),
 * sent by a real MQTT 5 client as a device would: each publish is refused with an MQTT reason code whose
 * reason string is printable (and, where the gateway read the payload, leaves a dead letter), the
 * connection survives, and the device's next valid telemetry is readable through the API afterwards.
 * New kinds in the table are covered without being listed here.
 */
class DeviceInputE2E {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int TRIES = 150;
    private static Platform platform;
    private static TopicWatcher<String, DeadLetter> deadLetters;
    private static Mqtt5BlockingClient device;
    private static String deviceId;
    private static String otherDeviceId;
    private static String token;
    private static String deviceToken;
    private static String otherDeviceToken;
    private static final AtomicInteger expectedDeadLetters = new AtomicInteger();
    private static final Map<String, AtomicInteger> casesPerSurface = new ConcurrentHashMap<>();
    private static long started;

    @BeforeContainer
    static void connect() throws Exception {
        platform = Platform.get();
        started = System.nanoTime();
        deadLetters = TopicWatcher.fromBeginning(platform.infra.kafka().bootstrapServers(), Topics.DEADLETTER.name(),
                Topics.DEADLETTER.keySerde().deserializer(), Topics.DEADLETTER.valueSerde().deserializer());
        String workspace = "e2e-device-input-" + UUID.randomUUID();
        token = platform.member(workspace, "owner");
        JsonNode registered = register("fuzzed");
        deviceId = registered.get("id").asString();
        deviceToken = registered.get("deviceToken").asString();
        JsonNode bystander = register("bystander");
        otherDeviceId = bystander.get("id").asString();
        otherDeviceToken = bystander.get("deviceToken").asString();
        device = MqttClient.builder().useMqttVersion5().identifier(deviceId).serverHost("127.0.0.1")
                .serverPort(platform.mqttPort).buildBlocking();
        device.connectWith().simpleAuth().username(deviceId)
                .password(deviceToken.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
    }

    @AfterContainer
    static void close() throws Exception {
        try {
            // every refusal that read the payload left a dead letter of this device
            await("dead letters of every refused payload").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(deadLetters.values(d -> deviceId.equals(d.getDeviceId())).size())
                            .isGreaterThanOrEqualTo(expectedDeadLetters.get()));
            // and the device still works: its next valid message is readable
            String metric = "after_fuzz_" + System.nanoTime();
            device.publishWith().topic(DeviceTopic.TELEMETRY.topic("st-1", deviceId)).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("{\"metrics\":{\"" + metric + "\":1}}").getBytes()).send();
            await("valid telemetry after the generated cases").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(get("/v1/devices/" + deviceId).body()).contains(metric));
            System.out.printf("DeviceInputE2E: %s generated cases per surface, %d dead letters, in %.1f s%n",
                    casesPerSurface, expectedDeadLetters.get(), (System.nanoTime() - started) / 1e9);
        } finally {
            device.disconnect();
            deadLetters.close();
        }
    }

    private static JsonNode register(String name) throws Exception {
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(platform.gateway() + platform.under(token, "/v1/devices"))).timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"type\":\"esp32\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode json = JSON.readTree(created.body());
        HttpResponse<String> read = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(platform.gateway() + platform.under(token, "/v1/devices/" + json.get("id").asString()))).timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + token)
                .header("Fleet-Consistency", created.headers().firstValue("Fleet-Consistency").orElseThrow()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(200);
        return json;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(platform.gateway() + platform.under(token, path)))
                .timeout(Duration.ofSeconds(90)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Publishes and answers the refusal; a publish the gateway took is a failure of this suite. */
    private static Mqtt5PubAckException refused(String topic, byte[] payload) {
        try {
            device.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
        } catch (com.hivemq.client.mqtt.exceptions.MqttSessionExpiredException e) {
            throw new AssertionError("the gateway disconnected the device for " + topic + " with " + describe(payload)
                    + ": " + (e.getCause() instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException d
                    ? d.getMqttMessage() : e.getCause()), e);
        } catch (Mqtt5PubAckException e) {
            Mqtt5PubAckReasonCode code = e.getMqttMessage().getReasonCode();
            assertThat(code.isError()).isTrue();
            e.getMqttMessage().getReasonString().map(MqttUtf8String::toString).ifPresent(reason ->
                    assertThat(reason.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)))
                            .as("printable reason: %s", reason).isTrue());
            return e;
        }
        throw new AssertionError("the gateway took " + topic + " with " + describe(payload));
    }

    private static String describe(byte[] payload) {
        return payload.length > 200 ? payload.length + " bytes" : Arrays.toString(payload);
    }

    private static void count(String surface) {
        casesPerSurface.computeIfAbsent(surface, s -> new AtomicInteger()).incrementAndGet();
    }

    @Property(tries = TRIES)
    void payloadsThatAreNoJsonObject_onEveryDeviceTopic_areRefusedWithAReason(@ForAll("kinds") DeviceTopic kind,
            @ForAll("unreadable") byte[] payload) {
        assertRefusedAndDeadLettered(kind, payload);
    }

    @Property(tries = TRIES)
    void malformedTelemetry_isRefusedWithAReason(@ForAll("badTelemetry") byte[] payload) {
        assertRefusedAndDeadLettered(DeviceTopic.TELEMETRY, payload);
    }

    private static void assertRefusedAndDeadLettered(DeviceTopic kind, byte[] payload) {
        Mqtt5PubAckException refusal = refused(kind.topic("st-1", deviceId), payload);
        assertThat(refusal.getMqttMessage().getReasonCode()).isEqualTo(kind.handled()
                ? Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID : Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID);
        expectedDeadLetters.incrementAndGet();
        count("mqtt payload: " + kind.kind());
        assertThat(device.getState().isConnected()).isTrue();
    }

    @Property(tries = 15)
    void unknownKindsUnderItsOwnPrefix_areRefusedWithATrace(@ForAll("unknownKinds") String kind) {
        Mqtt5PubAckException refusal = refused("station/st-1/device/" + deviceId + "/" + kind,
                "{\"metrics\":{\"temp\":1}}".getBytes());
        assertThat(refusal.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID);
        expectedDeadLetters.incrementAndGet();
        count("mqtt topic: unknown kind");
    }

    /** Outside its own prefix a device is refused and disconnected, as AWS IoT does: a fresh connection each. */
    @Property(tries = 10)
    void topicsOutsideItsOwnPrefix_areRefusedAndTheConnectionEnded(@ForAll("foreignTopics") String topic) {
        // the bystander device, publishing outside its own prefix
        Mqtt5BlockingClient intruder = MqttClient.builder().useMqttVersion5().identifier(otherDeviceId)
                .serverHost("127.0.0.1").serverPort(platform.mqttPort).buildBlocking();
        intruder.connectWith().simpleAuth().username(otherDeviceId)
                .password(otherDeviceToken.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
        try {
            intruder.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("{\"metrics\":{\"temp\":1}}".getBytes())
                    .send();
            throw new AssertionError("the gateway took " + topic);
        } catch (Mqtt5PubAckException e) {
            assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        } finally {
            await().atMost(Duration.ofSeconds(30)).until(() -> !intruder.getState().isConnected());
        }
        count("mqtt topic: foreign");
    }

    @Provide
    Arbitrary<DeviceTopic> kinds() {
        return Arbitraries.of(DeviceTopic.values());
    }

    @Provide
    Arbitrary<String> unknownKinds() {
        return Arbitraries.of("telemetry/extra", "Telemetry", "telemetry ", "telemetr", "heartbeat/x",
                "\u00e9v\u00e9nement", "a/b/c", "x".repeat(300), "state\u200f", "tele%00metry");
    }

    @Provide
    Arbitrary<String> foreignTopics() {
        Arbitrary<String> foreign = Arbitraries.of(DeviceTopic.values()).map(t -> t.topic("st-1", deviceId));
        Arbitrary<String> badStation = Arbitraries.of("bad station", "s".repeat(65), "", "caf\u00e9")
                .map(station -> "station/" + station + "/device/" + otherDeviceId + "/telemetry");
        return Arbitraries.oneOf(foreign, badStation, Arbitraries.of("devices/" + otherDeviceId,
                "station/st-1/device/" + otherDeviceId));
    }

    /** What no device topic may take: not JSON, not an object, broken UTF-8, repeated keys, too deep, too large. */
    @Provide
    Arbitrary<byte[]> unreadable() {
        return Arbitraries.oneOf(
                Arbitraries.of("not json", "{", "[]", "42", "\"s\"", "null", "{\"a\":", "{\"a\":1},",
                        "{'a':1}", "{\"a\":01}", "{\"a\":NaN}", "\u0000").map(String::getBytes),
                Arbitraries.just("{\"a\":1,\"a\":2}".getBytes()),
                Arbitraries.integers().between(600, 2000).map(depth -> ("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)).getBytes()),
                Arbitraries.integers().between(65_537, 100_000).map(DeviceInputE2E::oversized),
                invalidUtf8());
    }

    /** Telemetry that breaks its own rules: names, values, timestamps, counts. */
    @Provide
    Arbitrary<byte[]> badTelemetry() {
        Arbitrary<String> name = Arbitraries.of("temp\u0000", "t\u0001", "a b", "x".repeat(65), "\u00fcber", "", "-x",
                "t\ud800", "\u202etemp");
        Arbitrary<String> badValue = Arbitraries.of("\"21\"", "true", "null", "[1]", "{}", "1e309", "-1e309", "NaN",
                "Infinity", "0x10", "01");
        long now = Instant.now().toEpochMilli();
        Arbitrary<String> badTs = Arbitraries.of("\"now\"", "1.5", String.valueOf(now + 3_600_000L),
                String.valueOf(now - 40L * 86_400_000L), "-1", "9223372036854775808", "1e20", "[]");
        return Arbitraries.oneOf(
                Arbitraries.just("".getBytes()),
                Arbitraries.of("{}", "{\"metrics\":{}}", "{\"metrics\":[]}", "{\"metrics\":1}", "{\"temp\":1}")
                        .map(String::getBytes),
                name.map(n -> ("{\"metrics\":{\"" + escape(n) + "\":1}}").getBytes(StandardCharsets.UTF_8)),
                badValue.map(v -> ("{\"metrics\":{\"temp\":" + v + "}}").getBytes()),
                badTs.map(ts -> ("{\"ts\":" + ts + ",\"metrics\":{\"temp\":1}}").getBytes()),
                Arbitraries.just("{\"metrics\":{\"temp\":1,\"temp\":2}}".getBytes()),
                Arbitraries.integers().between(201, 260).map(DeviceInputE2E::manyMetrics));
    }

    private static Arbitrary<byte[]> invalidUtf8() {
        List<byte[]> broken = List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xC0, (byte) 0x80},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});
        return Combinators.combine(Arbitraries.of(broken), Arbitraries.of(true, false)).as((bytes, inName) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(inName ? "{\"metrics\":{\"t".getBytes() : "{\"metrics\":{\"temp\":1},\"note\":\"".getBytes());
            out.writeBytes(bytes);
            out.writeBytes(inName ? "\":1}}".getBytes() : "\"}".getBytes());
            return out.toByteArray();
        });
    }

    private static byte[] manyMetrics(int count) {
        StringBuilder json = new StringBuilder("{\"metrics\":{");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":").append(i);
        }
        return json.append("}}").toString().getBytes();
    }

    private static byte[] oversized(int size) {
        String head = "{\"metrics\":{\"temp\":1},\"pad\":\"";
        return (head + "x".repeat(size - head.length() - 2) + "\"}").getBytes();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c < 0x20 || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
