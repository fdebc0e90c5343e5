package io.fleetstream.query;

import static io.fleetstream.schemas.readmodel.Tables.APP_USER;
import static io.fleetstream.schemas.readmodel.Tables.DEVICE;
import static io.fleetstream.schemas.readmodel.Tables.TEAM;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE_MEMBER;
import static io.fleetstream.schemas.readmodel.Tables.AGGREGATE_EVENT;
import static io.fleetstream.schemas.readmodel.Tables.LATEST_METRIC;
import static io.fleetstream.schemas.readmodel.Tables.PARKED_RECORD;
import static io.fleetstream.schemas.readmodel.Tables.TELEMETRY_POINT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetstream.infra.SharedInfrastructure;
import io.fleetstream.infra.testing.EventStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The read API over a real PostgreSQL read model and Redis, called with real tokens from the dev issuer. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "fleet.query.consistency-timeout=8s")
class QueryApiIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    DSLContext db;
    @Autowired
    RedissonClient redis;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedInfrastructure.get().springProperties().forEach((key, value) -> registry.add(key, () -> value));
    }

    /** The workspace each token's person is a member of, for the routes under it. */
    private final Map<String, String> workspaceOf = new java.util.concurrent.ConcurrentHashMap<>();

    /** The id of a workspace of the tests, by its name. */
    static String ws(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    /**
     * A token of a person who is a member of the workspace with that role, as the read model shows them (the
     * workspace is made when first named).
     */
    private String token(String workspace, String role) {
        String subject = "t-" + role + "-" + ws(workspace).substring(0, 13);
        var issuer = SharedInfrastructure.get().issuer();
        String token = issuer.mintPerson(subject, subject + "@example.com", "Tester", Duration.ofMinutes(10));
        UUID userId = io.fleetstream.support.security.Person.userId(issuer.issuer(), subject);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        db.insertInto(WORKSPACE).set(WORKSPACE.WORKSPACE_ID, UUID.fromString(ws(workspace))).set(WORKSPACE.NAME, workspace)
                .set(WORKSPACE.SLUG, "s-" + ws(workspace).substring(0, 8)).set(WORKSPACE.TIMEZONE, "UTC")
                .set(WORKSPACE.STATUS, "ACTIVE").set(WORKSPACE.VERSION, 1L).set(WORKSPACE.CREATED_AT, now)
                .set(WORKSPACE.UPDATED_AT, now).onConflictDoNothing().execute();
        db.insertInto(WORKSPACE_MEMBER).set(WORKSPACE_MEMBER.WORKSPACE_ID, UUID.fromString(ws(workspace)))
                .set(WORKSPACE_MEMBER.USER_ID, userId).set(WORKSPACE_MEMBER.ROLE, role).set(WORKSPACE_MEMBER.JOINED_AT, now)
                .onConflictDoNothing().execute();
        workspaceOf.put(token, ws(workspace));
        return token;
    }

    private HttpResponse<String> get(String path, String token, String... headers) throws Exception {
        if (token != null && workspaceOf.containsKey(token) && (path.startsWith("/v1/devices") || path.startsWith("/v1/stream"))) {
            path = "/v1/workspaces/" + workspaceOf.get(token) + path.substring(3);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private UUID seedDevice(String workspace, String name, String type) {
        UUID id = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        db.insertInto(DEVICE)
                .set(DEVICE.DEVICE_ID, id).set(DEVICE.WORKSPACE_ID, ws(workspace)).set(DEVICE.NAME, name)
                .set(DEVICE.DEVICE_TYPE, type).set(DEVICE.SETTINGS, JSONB.valueOf("{\"interval\": 5}"))
                .set(DEVICE.STATUS, "ACTIVE").set(DEVICE.TOKEN_HASH, UUID.randomUUID().toString())
                .set(DEVICE.VERSION, 0L).set(DEVICE.REGISTERED_AT, now).set(DEVICE.UPDATED_AT, now)
                .execute();
        db.insertInto(AGGREGATE_EVENT)
                .set(AGGREGATE_EVENT.AGGREGATE_ID, id.toString()).set(AGGREGATE_EVENT.SEQUENCE, 0L)
                .set(AGGREGATE_EVENT.AGGREGATE_TYPE, "device")
                .set(AGGREGATE_EVENT.EVENT_ID, UUID.randomUUID()).set(AGGREGATE_EVENT.WORKSPACE_ID, ws(workspace))
                .set(AGGREGATE_EVENT.EVENT_TYPE, "DeviceRegistered").set(AGGREGATE_EVENT.OCCURRED_AT, now)
                .set(AGGREGATE_EVENT.DATA, JSONB.valueOf("{\"name\": \"" + name + "\"}"))
                .set(AGGREGATE_EVENT.STATE, JSONB.valueOf("{\"name\": \"" + name + "\", \"version\": 0}"))
                .execute();
        return id;
    }

    /** The record of a device's event the projector keeps with its rows, which read-your-writes waits for. */
    private static void recordEvent(org.jooq.DSLContext dsl, String workspace, UUID id, long sequence) {
        dsl.insertInto(AGGREGATE_EVENT)
                .set(AGGREGATE_EVENT.AGGREGATE_ID, id.toString()).set(AGGREGATE_EVENT.SEQUENCE, sequence)
                .set(AGGREGATE_EVENT.AGGREGATE_TYPE, "device")
                .set(AGGREGATE_EVENT.EVENT_ID, UUID.randomUUID()).set(AGGREGATE_EVENT.WORKSPACE_ID, ws(workspace))
                .set(AGGREGATE_EVENT.EVENT_TYPE, "DeviceSettingsUpdated")
                .set(AGGREGATE_EVENT.OCCURRED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .set(AGGREGATE_EVENT.DATA, JSONB.valueOf("{}"))
                .execute();
    }

    @Test
    void list_showsOnlyTheCallersWorkspace_filteredAndPaged() throws Exception {
        String workspace = "ws-" + UUID.randomUUID();
        seedDevice(workspace, "pump-a", "esp32");
        seedDevice(workspace, "pump-b", "esp32");
        seedDevice(workspace, "valve-c", "display");
        seedDevice("other-" + workspace, "pump-x", "esp32");
        String token = token(workspace, "viewer");

        HttpResponse<String> all = get("/v1/devices", token);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body()).contains("pump-a", "pump-b", "valve-c").doesNotContain("pump-x").doesNotContain("tokenHash");

        assertThat(get("/v1/devices?namePrefix=pump", token).body()).contains("pump-a", "pump-b").doesNotContain("valve-c");
        assertThat(get("/v1/devices?type=display", token).body()).contains("valve-c").doesNotContain("pump-a");

        HttpResponse<String> first = get("/v1/devices?limit=2", token);
        assertThat(first.body()).contains("pump-a", "pump-b").doesNotContain("valve-c");
        String cursor = first.body().replaceAll(".*\"nextCursor\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> second = get("/v1/devices?limit=2&cursor=" + cursor, token);
        assertThat(second.body()).contains("valve-c").doesNotContain("pump-a").contains("\"nextCursor\":null");

        HttpResponse<String> bad = get("/v1/devices?limit=0", token);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(bad.body()).contains("\"code\":\"device.query-invalid\"");
    }

    @Test
    void search_findsDevicesMembersAndTeams_ofTheWorkspaceOnly_matchingWithoutCase() throws Exception {
        String workspace = "ws-" + UUID.randomUUID();
        UUID boiler = seedDevice(workspace, "Boiler-North", "esp32");
        UUID pump = seedDevice(workspace, "pump-7", "esp32");
        db.update(DEVICE).set(DEVICE.HARDWARE_ID, "HW-77-ab").where(DEVICE.DEVICE_ID.eq(pump)).execute();
        seedDevice("other-" + workspace, "boiler-theirs", "esp32");
        String token = token(workspace, "viewer");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        UUID zoe = UUID.randomUUID();
        db.insertInto(APP_USER).set(APP_USER.USER_ID, zoe).set(APP_USER.ISSUER, "http://issuer").set(APP_USER.SUBJECT, "zoe")
                .set(APP_USER.EMAIL, "zoe.boiler@example.com").set(APP_USER.EMAIL_VERIFIED, true).set(APP_USER.NAME, "Zoë")
                .set(APP_USER.PLATFORM_ADMIN, false).set(APP_USER.VERSION, 0L).set(APP_USER.REGISTERED_AT, now)
                .set(APP_USER.UPDATED_AT, now).execute();
        db.insertInto(WORKSPACE_MEMBER).set(WORKSPACE_MEMBER.WORKSPACE_ID, UUID.fromString(ws(workspace)))
                .set(WORKSPACE_MEMBER.USER_ID, zoe).set(WORKSPACE_MEMBER.ROLE, "member").set(WORKSPACE_MEMBER.JOINED_AT, now)
                .execute();
        db.insertInto(TEAM).set(TEAM.TEAM_ID, UUID.randomUUID()).set(TEAM.WORKSPACE_ID, UUID.fromString(ws(workspace)))
                .set(TEAM.NAME, "Boiler room").set(TEAM.CREATED_AT, now).set(TEAM.UPDATED_AT, now).set(TEAM.VERSION, 0L)
                .execute();
        String search = "/v1/workspaces/" + ws(workspace) + "/search?q=";

        HttpResponse<String> found = get(search + "BOIL", token);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).contains(boiler.toString(), "\"name\":\"Boiler room\"", zoe.toString(), "zoe.boiler@example.com")
                .doesNotContain("boiler-theirs").doesNotContain(pump.toString());
        assertThat(get(search + "hw-77", token).body()).as("by hardware id").contains(pump.toString())
                .doesNotContain(boiler.toString());
        assertThat(get(search + "%25", token).body()).as("a wildcard is only a character")
                .contains("\"devices\":[]", "\"members\":[]", "\"teams\":[]");
        assertThat(get(search + "o&limit=1", token).body()).contains("\"devices\":[{").doesNotContain("},{");

        for (String bad : List.of("", "%20%20", "x".repeat(101), "o&limit=0", "o&limit=26")) {
            HttpResponse<String> refused = get(search + bad, token);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).contains("\"code\":\"request.invalid\"");
        }
        assertThat(get("/v1/workspaces/" + ws("other-" + workspace) + "/search?q=boil", token).statusCode())
                .as("another workspace's search is not there").isEqualTo(404);
    }

    @Test
    void aDevice_showsItsLatestMetrics_butNotToAnotherWorkspace() throws Exception {
        String workspace = "ws-" + UUID.randomUUID();
        UUID id = seedDevice(workspace, "boiler", "esp32");
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        db.insertInto(LATEST_METRIC).set(LATEST_METRIC.DEVICE_ID, id).set(LATEST_METRIC.METRIC, "temp")
                .set(LATEST_METRIC.TS, at).set(LATEST_METRIC.VALUE, 21.5).execute();
        db.insertInto(TELEMETRY_POINT).set(TELEMETRY_POINT.DEVICE_ID, id).set(TELEMETRY_POINT.METRIC, "temp")
                .set(TELEMETRY_POINT.TS, at).set(TELEMETRY_POINT.VALUE, 21.5).execute();

        HttpResponse<String> mine = get("/v1/devices/" + id, token(workspace, "member"));
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(mine.body()).contains("\"name\":\"boiler\"", "\"temp\":{\"value\":21.5", "\"settings\":{\"interval\":5}");

        HttpResponse<String> points = get("/v1/devices/" + id + "/telemetry?metric=temp", token(workspace, "viewer"));
        assertThat(points.body()).contains("\"metric\":\"temp\"", "\"value\":21.5");
        assertThat(get("/v1/devices/" + id + "/history", token(workspace, "viewer")).body()).contains("DeviceRegistered");
        // its state at an instant: as recorded after its last event then; before its first, it did not exist
        HttpResponse<String> then = get("/v1/devices/" + id + "?at=" + at.plusSeconds(1).toInstant(), token(workspace, "viewer"));
        assertThat(then.statusCode()).isEqualTo(200);
        assertThat(then.body()).contains("\"name\":\"boiler\"", "\"version\":0");
        HttpResponse<String> before = get("/v1/devices/" + id + "?at=" + at.minusSeconds(60).toInstant(),
                token(workspace, "viewer"));
        assertThat(before.statusCode()).isEqualTo(404);
        assertThat(before.body()).contains("\"code\":\"device.not-found\"");
        assertThat(get("/v1/devices/" + id + "?at=yesterday", token(workspace, "viewer")).body())
                .contains("\"code\":\"history.instant-invalid\"");
        assertThat(get("/v1/devices/" + id + "?at=" + at.plusSeconds(1).toInstant(), token("intruder-" + workspace, "owner"))
                .statusCode()).isEqualTo(404);

        HttpResponse<String> theirs = get("/v1/devices/" + id, token("intruder-" + workspace, "owner"));
        HttpResponse<String> inTheirWorkspace = get("/v1/workspaces/" + ws(workspace) + "/devices/" + id,
                token("intruder-" + workspace, "owner"));
        assertThat(inTheirWorkspace.statusCode()).as("a workspace one is not a member of does not exist").isEqualTo(404);
        assertThat(inTheirWorkspace.body()).contains("workspace.not-found").doesNotContain("boiler");
        assertThat(theirs.statusCode()).isEqualTo(404);
        assertThat(theirs.body()).contains("\"code\":\"device.not-found\"");
        assertThat(get("/v1/devices/" + id + "/telemetry", token("intruder-" + workspace, "owner")).statusCode()).isEqualTo(404);
        assertThat(get("/v1/devices/" + id + "/history", token("intruder-" + workspace, "owner")).statusCode()).isEqualTo(404);
        assertThat(get("/v1/devices/not-a-uuid", token(workspace, "owner")).statusCode()).isEqualTo(404);
    }

    @Test
    void garbageCursorsAndFarTimestamps_areRefused_neverAServerError() throws Exception {
        String workspace = "ws-" + UUID.randomUUID();
        UUID id = seedDevice(workspace, "clock", "esp32");
        String token = token(workspace, "viewer");
        java.util.Base64.Encoder base64 = java.util.Base64.getUrlEncoder().withoutPadding();
        for (String cursor : List.of("!!", base64.encodeToString(new byte[] {(byte) 0xC3, 0x28, ':', 'a'}),
                base64.encodeToString(("not-a-uuid-not-a-uuid-not-a-uuid-123:name").getBytes()),
                base64.encodeToString((UUID.randomUUID() + ":a\u0000b").getBytes()),
                base64.encodeToString((UUID.randomUUID() + ":" + "n".repeat(201)).getBytes()),
                base64.encodeToString((UUID.randomUUID() + ":").getBytes()), "A".repeat(5_000))) {
            HttpResponse<String> answer = get("/v1/devices?cursor=" + cursor, token);
            assertThat(answer.statusCode()).as(cursor).isEqualTo(400);
            assertThat(answer.body()).contains("\"code\":\"device.query-invalid\"", "cursor");
        }
        for (String query : List.of("from=%2B1000000000-01-01T00:00:00Z", "to=-1000000000-01-01T00:00:00Z",
                "from=1969-12-31T23:59:59Z", "to=%2B10000-01-01T00:00:00Z", "metric=a%20b", "metric=" + "m".repeat(65),
                "limit=abc", "limit=99999999999")) {
            HttpResponse<String> answer = get("/v1/devices/" + id + "/telemetry?" + query, token);
            assertThat(answer.statusCode()).as(query + " " + answer.body()).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(answer.body()).doesNotContain("java.", "Integer", "Exception");
        }
        assertThat(get("/v1/devices/" + id + "/telemetry?from=1970-01-01T00:00:00Z&to=9999-12-31T23:59:59Z", token)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void withoutAValidToken_onlyHealthAndTheApiDescriptionAreServed() throws Exception {
        HttpResponse<String> anonymous = get("/v1/devices", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(anonymous.body()).contains("\"code\":\"auth.unauthenticated\"");
        assertThat(get("/v1/devices", "not.a.jwt").statusCode()).isEqualTo(401);

        assertThat(get("/v1/health", null).statusCode()).isEqualTo(200);
        HttpResponse<String> openapi = get("/v1/openapi.json", null);
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(openapi.body()).contains("/v1/workspaces/{workspace}/devices/{id}/telemetry",
                "/v1/workspaces/{workspace}/stream", "x-fleet-scope");
    }

    @Test
    void aConsistencyToken_holdsTheReadUntilTheReadModelCatchesUp() throws Exception {
        String workspace = "ws-" + UUID.randomUUID();
        UUID id = seedDevice(workspace, "late", "esp32");
        String token = token(workspace, "viewer");

        CompletableFuture<HttpResponse<String>> read = CompletableFuture.supplyAsync(() -> {
            try {
                return get("/v1/devices/" + id, token, "Fleet-Consistency", "device/" + id + "@1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !read.isDone());
        // as the projector does: the row and the event's record in one transaction
        db.transaction(tx -> {
            tx.dsl().update(DEVICE).set(DEVICE.VERSION, 1L).set(DEVICE.NAME, "caught-up").where(DEVICE.DEVICE_ID.eq(id)).execute();
            recordEvent(tx.dsl(), workspace, id, 1L);
        });

        HttpResponse<String> response = read.get();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("caught-up");

        HttpResponse<String> never = get("/v1/devices/" + id, token, "Fleet-Consistency", "device/" + id + "@9");
        assertThat(never.statusCode()).isEqualTo(503);
        assertThat(never.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(never.body()).contains("\"code\":\"consistency.timeout\"");

        assertThat(get("/v1/devices/" + id, token, "Fleet-Consistency", "garbage").statusCode()).isEqualTo(400);
        assertThat(get("/v1/devices/" + id, token, "Fleet-Consistency", "gadget/" + id + "@0").statusCode())
                .as("a token of an aggregate type no write makes").isEqualTo(400);

        HttpResponse<String> foreign = get("/v1/devices/" + id, token("intruder-" + workspace, "viewer"),
                "Fleet-Consistency", "device/" + id + "@0");
        assertThat(foreign.statusCode()).as("another workspace's device is waited for like a missing one, never confirmed")
                .isEqualTo(503);
    }

    @Test
    void aConsistencyToken_ofAChangeTheReadModelParked_isAnsweredAtOnce_butOnlyInTheDevicesWorkspace() throws Exception {
        String workspace = "ws-" + UUID.randomUUID();
        UUID id = seedDevice(workspace, "stuck", "esp32");
        db.insertInto(PARKED_RECORD).set(PARKED_RECORD.PROJECTION, "projector-devices").set(PARKED_RECORD.TOPIC, "fleet.events")
                .set(PARKED_RECORD.PARTITION, 0).set(PARKED_RECORD.RECORD_OFFSET, System.nanoTime())
                .set(PARKED_RECORD.RECORD_KEY, id.toString().getBytes()).set(PARKED_RECORD.RECORD_VALUE, new byte[0])
                .set(PARKED_RECORD.FAILED, true).set(PARKED_RECORD.ERROR, "test").execute();

        HttpResponse<String> parked = get("/v1/devices/" + id, token(workspace, "viewer"), "Fleet-Consistency",
                "device/" + id + "@1");
        assertThat(parked.statusCode()).isEqualTo(503);
        assertThat(parked.body()).contains("\"code\":\"consistency.parked\"");

        HttpResponse<String> foreign = get("/v1/devices/" + id, token("intruder-" + workspace, "viewer"),
                "Fleet-Consistency", "device/" + id + "@1");
        assertThat(foreign.body()).as("another workspace learns nothing of it").contains("consistency.timeout");
    }

    @Test
    void oneWorkspaceWaitingForChangesThatNeverCome_cannotTakeTheWaitsOfAnother() throws Exception {
        String noisy = "ws-" + UUID.randomUUID();
        String quiet = "ws-" + UUID.randomUUID();
        String noisyToken = token(noisy, "viewer");
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(16);
        java.util.List<CompletableFuture<HttpResponse<String>>> waits = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            UUID never = UUID.randomUUID();
            waits.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return get("/v1/devices/" + never, noisyToken, "Fleet-Consistency", "device/" + never + "@0");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, callers));
        }
        UUID late = seedDevice(quiet, "late", "esp32");
        CompletableFuture<HttpResponse<String>> quietRead = CompletableFuture.supplyAsync(() -> {
            try {
                return get("/v1/devices/" + late, token(quiet, "viewer"), "Fleet-Consistency", "device/" + late + "@1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, callers);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !quietRead.isDone());
        db.transaction(tx -> {
            tx.dsl().update(DEVICE).set(DEVICE.VERSION, 1L).where(DEVICE.DEVICE_ID.eq(late)).execute();
            recordEvent(tx.dsl(), quiet, late, 1L);
        });

        assertThat(quietRead.get().statusCode()).as(quietRead.get().body()).isEqualTo(200);
        List<String> refused = waits.stream().map(CompletableFuture::join).map(HttpResponse::body)
                .filter(body -> body.contains("Too many of your reads")).toList();
        assertThat(refused).as("beyond its share, a workspace's waits are answered at once").hasSizeGreaterThanOrEqualTo(4);
        callers.shutdown();
    }

    @Test
    void theStream_pushesTheWorkspacesChangesOnly() throws Exception {
        String workspace = "ws-" + UUID.randomUUID();
        EventStreamReader stream = EventStreamReader.open(http, URI.create("http://localhost:" + port + "/v1/workspaces/"
                + ws(workspace) + "/stream"), token(workspace, "viewer"));
        EventStreamReader second = EventStreamReader.open(http, URI.create("http://localhost:" + port + "/v1/workspaces/"
                + ws(workspace) + "/stream"), token(workspace, "owner"));
        assertThat(stream.status()).isEqualTo(200);
        for (EventStreamReader reader : List.of(stream, second)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.lines().stream().anyMatch(l -> l.contains("connected")));
        }

        // Redis counts the subscribers a message reached: the service's subscription may still be on its way
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.getTopic("fleet:changes:" + ws("other-" + workspace),
                StringCodec.INSTANCE).publish("{\"type\":\"device.created\",\"workspaceId\":\"" + ws("other-" + workspace)
                + "\",\"deviceId\":\"secret\",\"version\":0,\"at\":\"2026-01-01T00:00:00Z\",\"data\":{}}") >= 1);
        redis.getTopic("fleet:changes:" + ws(workspace), StringCodec.INSTANCE).publish(
                "{\"type\":\"device.created\",\"workspaceId\":\"" + ws(workspace) + "\",\"deviceId\":\"d-1\",\"version\":0,\"at\":\"2026-01-01T00:00:00Z\",\"data\":{}}");

        for (EventStreamReader reader : List.of(stream, second)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<String> lines = reader.lines();
                int at = lines.indexOf("event:device.created");
                assertThat(at).as("the event arrived").isNotNegative();
                assertThat(lines.subList(at, Math.min(at + 4, lines.size())))
                        .as("every stream gets the same well-formed event: event, id, data, blank line")
                        .containsExactly("event:device.created", "id:d-1:0",
                                "data:{\"type\":\"device.created\",\"workspaceId\":\"" + ws(workspace)
                                        + "\",\"deviceId\":\"d-1\",\"version\":0,\"at\":\"2026-01-01T00:00:00Z\",\"data\":{}}", "");
            });
            List<String> lines = reader.lines();
            assertThat(lines).noneMatch(l -> l.contains("secret"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                assertThat(lines.get(i).isEmpty() && lines.get(i + 1).isEmpty())
                        .as("no stray blank line (an event builder reused across streams adds one)").isFalse();
            }
        }
        second.close();
        stream.close();
    }
}
