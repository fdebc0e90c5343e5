package io.fleetstream.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./fleet bench}: how many telemetry messages one MQTT publisher gets through to PostgreSQL.
 * Registers a device through the API, publishes N messages (QoS 1: each acknowledged only once Kafka
 * has it; QoS 0: sent without acknowledgement), and waits until all N points are rows in PostgreSQL. Bounded in count and time; loopback only.
 */
public final class TelemetryBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(3);

    private TelemetryBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String gateway = options.getOrDefault("gateway", "http://localhost:8080");
        int mqttPort = Integer.parseInt(options.getOrDefault("mqtt-port", "1883"));
        String issuer = options.getOrDefault("issuer", "http://localhost:8089");
        int messages = Integer.parseInt(options.getOrDefault("messages", "20000"));
        MqttQos qos = MqttQos.fromCode(Integer.parseInt(options.getOrDefault("qos", "1")));
        if (qos == null || qos == MqttQos.EXACTLY_ONCE) {
            throw new IllegalArgumentException("--qos must be 0 or 1");
        }
        if (messages < 1 || messages > 1_000_000) {
            throw new IllegalArgumentException("--messages must be between 1 and 1000000");
        }
        HttpClient http = HttpClient.newHttpClient();
        String token = token(http, issuer);
        String[] device = register(http, workspace(http, gateway, token), token);
        String deviceId = device[0];

        Mqtt5AsyncClient mqtt = MqttClient.builder().useMqttVersion5().identifier(deviceId)
                .serverHost("127.0.0.1").serverPort(mqttPort).buildAsync();
        mqtt.connectWith().simpleAuth().username(deviceId).password(device[1].getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send().get(30, TimeUnit.SECONDS);
        String topic = "station/bench/device/" + deviceId + "/telemetry";
        long firstTs = Instant.now().toEpochMilli() - messages; // distinct timestamps: one point each

        long start = System.nanoTime();
        List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>(messages);
        for (int i = 0; i < messages; i++) {
            byte[] payload = ("{\"ts\":" + (firstTs + i) + ",\"metrics\":{\"load\":" + i + "}}").getBytes(StandardCharsets.UTF_8);
            acks.add(mqtt.publishWith().topic(topic).qos(qos).payload(payload).send());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(DRAIN_LIMIT.toSeconds(), TimeUnit.SECONDS);
        long failed = acks.stream().map(CompletableFuture::join).filter(r -> r.getError().isPresent()).count();
        double ackedSeconds = (System.nanoTime() - start) / 1e9;

        long stored = awaitStored(deviceId, messages, start);
        double storedSeconds = (System.nanoTime() - start) / 1e9;
        mqtt.disconnect().get(10, TimeUnit.SECONDS);

        System.out.printf(Locale.ROOT, "%ntelemetry benchmark: one MQTT 5 publisher, QoS %d, %d messages of one metric%n",
                qos.getCode(), messages);
        System.out.printf(Locale.ROOT, "  %-24s %8.2f s  %10.0f msg/s  (%d refused)%n",
                qos == MqttQos.AT_MOST_ONCE ? "sent" : "acknowledged (in Kafka)", ackedSeconds,
                messages / ackedSeconds, failed);
        System.out.printf(Locale.ROOT, "  stored in PostgreSQL     %8.2f s  %10.0f msg/s  (%d of %d rows)%n", storedSeconds,
                stored / storedSeconds, stored, messages);
    }

    private static long awaitStored(String deviceId, int expected, long startNanos) throws Exception {
        String url = System.getenv().getOrDefault("FLEET_DB_URL", "jdbc:postgresql://localhost:15432/fleet");
        String user = System.getenv().getOrDefault("FLEET_DB_USER", "postgres");
        String password = System.getenv().getOrDefault("FLEET_DB_PASSWORD", "");
        try (Connection db = DriverManager.getConnection(url, user, password);
                PreparedStatement count = db.prepareStatement(
                        "select count(*) from readmodel.telemetry_point where device_id = ?::uuid")) {
            count.setString(1, deviceId);
            long stored = 0;
            while (System.nanoTime() - startNanos < DRAIN_LIMIT.toNanos()) {
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    stored = rs.getLong(1);
                }
                if (stored >= expected) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(25); // polling the database for the end condition, not pacing the load
            }
            return stored;
        }
    }

    static String token(HttpClient http, String issuer) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(issuer + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=bench&email=bench%40example.test&name=Bench")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("dev issuer answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("access_token").asString();
    }

    /** A new workspace of the bench's person (its owner): the URL its routes are under. */
    static String workspace(HttpClient http, String gateway, String token) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/workspaces"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench " + UUID.randomUUID().toString().substring(0, 8)
                        + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("creating the bench's workspace answered " + created.statusCode() + ": "
                    + created.body());
        }
        String base = gateway + "/v1/workspaces/" + JSON.readTree(created.body()).get("slug").asString();
        for (int attempt = 0; attempt < 100; attempt++) {
            if (http.send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                return base;
            }
            TimeUnit.MILLISECONDS.sleep(100); // until the read model shows the new owner, not pacing load
        }
        throw new IllegalStateException("the bench's workspace did not become visible");
    }

    private static String[] register(HttpClient http, String gateway, String token) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(gateway + "/devices"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\",\"type\":\"bench\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("registration answered " + created.statusCode() + ": " + created.body());
        }
        JsonNode body = JSON.readTree(created.body());
        String id = body.get("id").asString();
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(gateway + "/devices/" + id))
                .header("Authorization", "Bearer " + token)
                .header("Fleet-Consistency", created.headers().firstValue("Fleet-Consistency").orElseThrow())
                .build(), HttpResponse.BodyHandlers.ofString());
        if (read.statusCode() != 200) {
            throw new IllegalStateException("reading the device back answered " + read.statusCode());
        }
        return new String[] {id, body.get("deviceToken").asString()};
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("options are --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
