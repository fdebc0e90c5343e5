package io.fleetstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** People become users on first sight and create workspaces, through the running platform with an HTTP client. */
class PeopleAndWorkspacesE2E {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Platform platform;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() {
        platform = Platform.get();
    }

    private String person(String user) {
        return platform.infra.issuer().mintPerson(user, user + "@example.test", "Person " + user, Duration.ofMinutes(30));
    }

    private HttpResponse<String> send(String method, String path, String token, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.gateway() + path))
                .timeout(Duration.ofSeconds(90))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        request.header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String consistency(HttpResponse<String> response) {
        return response.headers().firstValue("Fleet-Consistency").orElseThrow();
    }

    @Test
    void aPersonSeenForTheFirstTime_isAUser_createsAWorkspace_andOwnsIt() throws Exception {
        String ana = person("ana-" + suffix);
        Instant before = Instant.now().minusSeconds(1);

        HttpResponse<String> me = send("GET", "/v1/user", ana, null);
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        JsonNode user = JSON.readTree(me.body());
        assertThat(user.get("email").asString()).isEqualTo("ana-" + suffix + "@example.test");
        assertThat(user.get("platformAdmin").asBoolean()).isFalse();
        assertThat(user.get("workspaces")).isEmpty();

        HttpResponse<String> created = send("POST", "/v1/workspaces", ana, "{\"name\":\"Ana's Lab " + suffix + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode workspace = JSON.readTree(created.body());
        String id = workspace.get("id").asString();
        assertThat(workspace.get("slug").asString()).isEqualTo("ana-s-lab-" + suffix);
        assertThat(workspace.get("timezone").asString()).isEqualTo("UTC");

        HttpResponse<String> mine = send("GET", "/v1/workspaces", ana, null, "Fleet-Consistency", consistency(created));
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(mine.body())).anySatisfy(w -> {
            assertThat(w.get("id").asString()).isEqualTo(id);
            assertThat(w.get("role").asString()).isEqualTo("owner");
        });
        HttpResponse<String> bySlug = send("GET", "/v1/workspaces/ana-s-lab-" + suffix, ana, null);
        assertThat(bySlug.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(bySlug.body()).get("id").asString()).isEqualTo(id);
        HttpResponse<String> earlier = send("GET", "/v1/workspaces/" + id + "?at=" + before, ana, null);
        assertThat(earlier.statusCode()).as("it did not exist before").isEqualTo(404);
        HttpResponse<String> now = send("GET", "/v1/workspaces/" + id + "?at=" + Instant.now().plusSeconds(1), ana, null);
        assertThat(now.body()).contains("\"role\":\"owner\"");

        HttpResponse<String> profile = send("PATCH", "/v1/user", ana, "{\"name\":\"Ana\",\"timezone\":\"Europe/Lisbon\"}");
        assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
        HttpResponse<String> again = send("GET", "/v1/user", ana, null, "Fleet-Consistency", consistency(profile));
        assertThat(JSON.readTree(again.body()).get("name").asString()).isEqualTo("Ana");
        assertThat(JSON.readTree(again.body()).get("workspaces")).hasSize(1);
    }

    @Test
    void aWorkspaceIsInvisibleToWhoeverIsNotAMember_andItsSlugIsItsOwn() throws Exception {
        String cy = person("cy-" + suffix);
        String dee = person("dee-" + suffix);
        HttpResponse<String> created = send("POST", "/v1/workspaces", cy,
                "{\"name\":\"Cy\",\"slug\":\"cy-" + suffix + "\",\"timezone\":\"Europe/Berlin\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asString();
        send("GET", "/v1/workspaces/" + id, cy, null, "Fleet-Consistency", consistency(created));

        HttpResponse<String> theirs = send("GET", "/v1/workspaces/" + id, dee, null);
        assertThat(theirs.statusCode()).isEqualTo(404);
        assertThat(theirs.body()).contains("\"code\":\"workspace.not-found\"");
        assertThat(send("GET", "/v1/workspaces/cy-" + suffix, dee, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v1/workspaces/" + UUID.randomUUID(), dee, null).body())
                .as("exactly like one that does not exist").contains("\"code\":\"workspace.not-found\"");
        HttpResponse<String> waited = send("GET", "/v1/workspaces", dee, null, "Fleet-Consistency", consistency(created));
        assertThat(waited.statusCode()).as("another's write is never confirmed to a non-member").isEqualTo(503);

        HttpResponse<String> taken = send("POST", "/v1/workspaces", dee, "{\"name\":\"Dee\",\"slug\":\"cy-" + suffix + "\"}");
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.body()).contains("\"code\":\"workspace.slug-taken\"");
        HttpResponse<String> badZone = send("POST", "/v1/workspaces", dee, "{\"name\":\"Dee\",\"timezone\":\"Mars/Base\"}");
        assertThat(badZone.statusCode()).isEqualTo(400);
        assertThat(badZone.body()).contains("\"code\":\"workspace.invalid\"");
        assertThat(send("POST", "/v1/workspaces", dee, "{\"name\":\"  \"}").body()).contains("\"code\":\"request.invalid\"");
        assertThat(send("POST", "/v1/workspaces", dee, "{\"name\":\"Dee\",\"slug\":\"" + UUID.randomUUID() + "\"}").body())
                .as("a slug is never shaped like a workspace id").contains("\"code\":\"request.invalid\"", "\"slug\"");
    }

    @Test
    void platformAdmins_seeEveryUser_othersMayNot() throws Exception {
        String admin = platform.infra.issuer().mintPerson("admin", "admin@example.test", "Admin", Duration.ofMinutes(30));
        String eve = person("eve-" + suffix);
        send("GET", "/v1/user", eve, null);
        HttpResponse<String> me = send("GET", "/v1/user", admin, null);
        assertThat(JSON.readTree(me.body()).get("platformAdmin").asBoolean()).as("named in FLEET_PLATFORM_ADMINS").isTrue();
        HttpResponse<String> users = send("GET", "/v1/users", admin, null);
        assertThat(users.statusCode()).isEqualTo(200);
        assertThat(users.body()).contains("eve-" + suffix + "@example.test");
        HttpResponse<String> refused = send("GET", "/v1/users", eve, null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"code\":\"auth.forbidden\"");
    }

    @Test
    void twoPeopleAndAnIntegration_inviteAccept_keysWithScopes_revocation_archiveAndRestore() throws Exception {
        String fay = person("fay-" + suffix);
        String gus = person("gus-" + suffix);
        HttpResponse<String> created = send("POST", "/v1/workspaces", fay, "{\"name\":\"Fay " + suffix + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String ws = JSON.readTree(created.body()).get("slug").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/v1/workspaces/" + ws, fay, null).statusCode() == 200);

        // Gus is not a member: the workspace does not exist for him, nor its devices
        assertThat(send("GET", "/v1/workspaces/" + ws + "/devices", gus, null).body()).contains("workspace.not-found");
        assertThat(send("POST", "/v1/workspaces/" + ws + "/devices", gus, "{\"name\":\"x\",\"type\":\"esp32\"}")
                .statusCode()).isEqualTo(404);

        // Gus has been seen, with that verified address: he is added at once; Hal, never seen, is invited and
        // accepts once signed in with the address the invitation was sent to
        HttpResponse<String> added = send("POST", "/v1/workspaces/" + ws + "/members", fay,
                "{\"email\":\"gus-" + suffix + "@example.test\",\"role\":\"viewer\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        HttpResponse<String> invited = send("POST", "/v1/workspaces/" + ws + "/members", fay,
                "{\"email\":\"hal-" + suffix + "@example.test\",\"role\":\"member\"}");
        assertThat(invited.statusCode()).as(invited.body()).isEqualTo(202);
        String invitation = JSON.readTree(invited.body()).get("token").asString();
        assertThat(send("GET", "/v1/workspaces/" + ws + "/members", fay, null, "Fleet-Consistency", consistency(invited))
                .body()).contains("hal-" + suffix)
                .doesNotContain(invitation);
        String eve = person("eve-" + suffix);
        HttpResponse<String> notHers = await().atMost(Duration.ofSeconds(30)).until(
                () -> send("POST", "/v1/invitations/" + invitation + "/accept", eve, null), r -> r.statusCode() != 404);
        assertThat(notHers.body()).contains("invitation.not-yours");
        String hal = person("hal-" + suffix);
        HttpResponse<String> accepted = send("POST", "/v1/invitations/" + invitation + "/accept", hal, null);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(send("POST", "/v1/invitations/" + invitation + "/accept", hal, null).body()).contains("invitation.used");
        await().atMost(Duration.ofSeconds(5)).until(() -> send("GET", "/v1/workspaces/" + ws + "/devices", hal, null)
                .statusCode() == 200);
        await().atMost(Duration.ofSeconds(5)).until(() -> send("GET", "/v1/workspaces/" + ws + "/devices", gus, null)
                .statusCode() == 200);
        HttpResponse<String> viewerWrites = send("POST", "/v1/workspaces/" + ws + "/devices", gus,
                "{\"name\":\"x\",\"type\":\"esp32\"}");
        assertThat(viewerWrites.statusCode()).isEqualTo(403);
        assertThat(viewerWrites.body()).contains("auth.forbidden");

        // an integration's key reads devices and may not write them
        HttpResponse<String> device = send("POST", "/v1/workspaces/" + ws + "/devices", fay,
                "{\"name\":\"pump\",\"type\":\"esp32\"}");
        assertThat(device.statusCode()).as(device.body()).isEqualTo(201);
        String deviceId = JSON.readTree(device.body()).get("id").asString();
        HttpResponse<String> keyMade = send("POST", "/v1/workspaces/" + ws + "/api-keys", fay,
                "{\"name\":\"dashboard\",\"scopes\":[\"devices:read\"]}");
        assertThat(keyMade.statusCode()).as(keyMade.body()).isEqualTo(201);
        JsonNode key = JSON.readTree(keyMade.body());
        String secret = key.get("secret").asString();
        assertThat(send("POST", "/v1/workspaces/" + ws + "/api-keys", gus, "{\"name\":\"mine\",\"scopes\":[\"*:read\"]}")
                .statusCode()).as("a viewer makes no keys").isEqualTo(403);
        HttpResponse<String> read = await().atMost(Duration.ofSeconds(30)).until(
                () -> send("GET", "/v1/workspaces/" + ws + "/devices/" + deviceId, secret, null), r -> r.statusCode() == 200);
        assertThat(read.body()).contains("\"pump\"");
        HttpResponse<String> keyWrites = send("PATCH", "/v1/workspaces/" + ws + "/devices/" + deviceId + "/settings", secret,
                "{\"a\":1}");
        assertThat(keyWrites.statusCode()).isEqualTo(403);
        assertThat(keyWrites.body()).contains("auth.scope-missing");
        assertThat(send("GET", "/v1/workspaces/" + ws + "/members", secret, null).body()).contains("auth.scope-missing");
        String elsewhere = JSON.readTree(send("POST", "/v1/workspaces", gus, "{\"name\":\"Gus " + suffix + "\"}").body())
                .get("slug").asString();
        assertThat(send("GET", "/v1/workspaces/" + elsewhere + "/devices", secret, null).statusCode())
                .as("a key acts in its own workspace only").isEqualTo(404);
        assertThat(send("GET", "/v1/workspaces/" + ws + "/api-keys", fay, null).body())
                .contains(key.get("prefix").asString()).doesNotContain(secret);

        // a team of the workspace's members, and the device in it
        HttpResponse<String> team = send("POST", "/v1/workspaces/" + ws + "/teams", fay, "{\"name\":\"Ops\"}");
        assertThat(team.statusCode()).as(team.body()).isEqualTo(201);
        String teamId = JSON.readTree(team.body()).get("id").asString();
        String gusId = JSON.readTree(send("GET", "/v1/user", gus, null).body()).get("id").asString();
        String eveId = JSON.readTree(send("GET", "/v1/user", eve, null).body()).get("id").asString();
        assertThat(send("PUT", "/v1/workspaces/" + ws + "/teams/" + teamId + "/members/" + gusId, fay, null).statusCode())
                .isEqualTo(204);
        assertThat(send("PUT", "/v1/workspaces/" + ws + "/teams/" + teamId + "/members/" + eveId, fay, null).body())
                .contains("team.not-a-member");
        HttpResponse<String> inTeam = send("PUT", "/v1/workspaces/" + ws + "/devices/" + deviceId + "/team", fay,
                "{\"teamId\":\"" + teamId + "\"}");
        assertThat(inTeam.statusCode()).as(inTeam.body()).isEqualTo(200);
        assertThat(send("GET", "/v1/workspaces/" + ws + "/devices?team=" + teamId, gus, null, "Fleet-Consistency",
                consistency(inTeam)).body()).contains(deviceId);
        assertThat(send("GET", "/v1/workspaces/" + ws + "/devices?team=" + UUID.randomUUID(), gus, null).body())
                .doesNotContain(deviceId);
        assertThat(send("GET", "/v1/workspaces/" + ws + "/teams/" + teamId + "/members", gus, null).body()).contains(gusId);
        assertThat(send("GET", "/v1/workspaces/" + ws + "/teams", secret, null).body()).contains("auth.scope-missing");

        // revoked, the key stops working within seconds
        long revokedAt = System.nanoTime();
        assertThat(send("DELETE", "/v1/workspaces/" + ws + "/api-keys/" + key.get("id").asString(), fay, null).statusCode())
                .isEqualTo(204);
        await().atMost(Duration.ofSeconds(5)).until(() -> send("GET", "/v1/workspaces/" + ws + "/devices/" + deviceId,
                secret, null).statusCode() == 401);
        System.out.printf("API key revocation reached the gateway in %d ms%n", (System.nanoTime() - revokedAt) / 1_000_000);

        // archived, the workspace stays readable and takes no writes until restored
        assertThat(send("POST", "/v1/workspaces/" + ws + "/archive", gus, null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/v1/workspaces/" + ws + "/archive", fay, null).statusCode()).isEqualTo(200);
        HttpResponse<String> archivedWrite = await().atMost(Duration.ofSeconds(5)).until(() -> send("PATCH",
                "/v1/workspaces/" + ws + "/devices/" + deviceId + "/settings", fay, "{\"a\":1}"), r -> r.statusCode() == 409);
        assertThat(archivedWrite.body()).contains("workspace.archived");
        assertThat(send("GET", "/v1/workspaces/" + ws + "/devices/" + deviceId, gus, null).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/v1/workspaces/" + ws + "/restore", fay, null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> send("PATCH", "/v1/workspaces/" + ws + "/devices/" + deviceId
                + "/settings", fay, "{\"a\":2}").statusCode() == 200);

        // a removed member loses access at once
        assertThat(send("DELETE", "/v1/workspaces/" + ws + "/members/" + gusId, fay, null).statusCode()).isEqualTo(204);
        long removedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> send("GET", "/v1/workspaces/" + ws + "/devices", gus, null)
                .statusCode() == 404);
        System.out.printf("Membership removal reached the gateway in %d ms%n", (System.nanoTime() - removedAt) / 1_000_000);
        String fayId = JSON.readTree(send("GET", "/v1/user", fay, null).body()).get("id").asString();

        // the audit log lists each step with its actor, refusals included, newest first
        JsonNode log = await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(send("GET",
                "/v1/workspaces/" + ws + "/audit-log?limit=500", fay, null).body()).get("items"),
                items -> items != null && items.toString().contains("RemoveMember"));
        String all = log.toString();
        assertThat(all).contains("\"action\":\"CreateWorkspace\"", "\"action\":\"InviteMember\"",
                "\"action\":\"AcceptInvitation\"", "\"action\":\"CreateApiKey\"", "\"action\":\"RevokeApiKey\"",
                "\"action\":\"ArchiveWorkspace\"", "\"action\":\"RestoreWorkspace\"", "\"action\":\"AssignDeviceTeam\"",
                "\"name\":\"Person fay-" + suffix + "\"");
        assertThat(all).as("a viewer's refused write is in the log").contains("\"code\":\"auth.forbidden\"");
        assertThat(Instant.parse(log.get(0).get("at").asString()))
                .isAfterOrEqualTo(Instant.parse(log.get(log.size() - 1).get("at").asString()));
        HttpResponse<String> refusals = send("GET", "/v1/workspaces/" + ws + "/audit-log?outcome=rejected&actor=" + gusId,
                fay, null);
        assertThat(refusals.body()).contains("\"outcome\":\"rejected\"").doesNotContain("\"outcome\":\"accepted\"");
        HttpResponse<String> export = send("GET", "/v1/workspaces/" + ws + "/audit-log", fay, null,
                "Accept", "application/x-ndjson");
        assertThat(export.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        assertThat(export.body().lines().count()).isGreaterThanOrEqualTo(log.size());
        assertThat(send("GET", "/v1/workspaces/" + ws + "/audit-log", hal, null).statusCode())
                .as("a member does not read the audit log").isEqualTo(403);
        HttpResponse<String> platformLog = send("GET", "/v1/audit-log?workspace=%23platform&limit=5",
                platform.adminToken(), null);
        assertThat(platformLog.statusCode()).as(platformLog.body()).isEqualTo(200);
        assertThat(platformLog.body()).contains("RegisterUser");
        assertThat(send("GET", "/v1/audit-log", fay, null).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/v1/workspaces/" + ws + "/members/" + fayId, fay, null).body())
                .contains("workspace.last-owner");
    }

    @Test
    void search_earlierState_followUps_platformAdministration_andRateLimits() throws Exception {
        String ivy = person("ivy-" + suffix);
        String jay = person("jay-" + suffix);
        String admin = platform.adminToken();
        String ivyId = JSON.readTree(send("GET", "/v1/user", ivy, null).body()).get("id").asString();
        String jayId = JSON.readTree(send("GET", "/v1/user", jay, null).body()).get("id").asString();
        HttpResponse<String> created = send("POST", "/v1/workspaces", ivy, "{\"name\":\"Ivy " + suffix + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String ws = JSON.readTree(created.body()).get("slug").asString();
        String wsId = JSON.readTree(created.body()).get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/v1/workspaces/" + ws, ivy, null).statusCode() == 200);

        // a device's state at an earlier instant, rebuilt from its events
        HttpResponse<String> device = send("POST", "/v1/workspaces/" + ws + "/devices", ivy,
                "{\"name\":\"kiln-" + suffix + "\",\"type\":\"esp32\",\"hardwareId\":\"HW-" + suffix + "\",\"settings\":{\"t\":1}}");
        assertThat(device.statusCode()).as(device.body()).isEqualTo(201);
        String deviceId = JSON.readTree(device.body()).get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/v1/workspaces/" + ws + "/devices/" + deviceId, ivy,
                null).statusCode() == 200);
        Instant between = Instant.now();
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(between.plusMillis(20)));
        HttpResponse<String> changed = send("PATCH", "/v1/workspaces/" + ws + "/devices/" + deviceId + "/settings", ivy,
                "{\"t\":2}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        JsonNode then = JSON.readTree(send("GET", "/v1/workspaces/" + ws + "/devices/" + deviceId + "?at=" + between, ivy,
                null, "Fleet-Consistency", consistency(changed)).body());
        assertThat(then.toString()).contains("\"t\":1").doesNotContain("\"t\":2");
        assertThat(send("GET", "/v1/workspaces/" + ws + "/devices/" + deviceId, ivy, null, "Fleet-Consistency",
                consistency(changed)).body()).contains("\"t\":2");

        // one search box over devices, members and teams
        assertThat(send("POST", "/v1/workspaces/" + ws + "/members", ivy, "{\"userId\":\"" + jayId + "\",\"role\":\"member\"}")
                .statusCode()).isEqualTo(201);
        HttpResponse<String> team = send("POST", "/v1/workspaces/" + ws + "/teams", ivy, "{\"name\":\"Kiln crew\"}");
        String teamId = JSON.readTree(team.body()).get("id").asString();
        HttpResponse<String> joined = send("PUT", "/v1/workspaces/" + ws + "/teams/" + teamId + "/members/" + jayId, ivy, null);
        assertThat(joined.statusCode()).as(joined.body()).isEqualTo(204);
        JsonNode found = await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(send("GET",
                "/v1/workspaces/" + ws + "/search?q=KILN", ivy, null).body()), f -> f.get("teams").size() == 1);
        assertThat(found.get("devices").get(0).get("id").asString()).isEqualTo(deviceId);
        assertThat(send("GET", "/v1/workspaces/" + ws + "/search?q=hw-" + suffix, ivy, null).body()).contains(deviceId);
        assertThat(send("GET", "/v1/workspaces/" + ws + "/search?q=jay-" + suffix, ivy, null).body()).contains(jayId);
        assertThat(send("GET", "/v1/workspaces/" + ws + "/search?q=kiln", person("kim-" + suffix), null).statusCode())
                .isEqualTo(404);

        // who leaves the workspace leaves its teams: back again, Jay is in none of them
        assertThat(send("DELETE", "/v1/workspaces/" + ws + "/members/" + jayId, ivy, null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/v1/workspaces/" + ws + "/audit-log?action=RemoveTeamMember",
                ivy, null).body().contains("\"kind\":\"system\""));
        assertThat(send("POST", "/v1/workspaces/" + ws + "/members", ivy, "{\"userId\":\"" + jayId + "\",\"role\":\"member\"}")
                .statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/v1/workspaces/" + ws + "/members", ivy, null).body()
                .contains(jayId));
        assertThat(send("GET", "/v1/workspaces/" + ws + "/teams/" + teamId + "/members", ivy, null).body()).doesNotContain(jayId);

        // an invitation withdrawn lets nobody in; a member leaves on their own
        HttpResponse<String> invited = send("POST", "/v1/workspaces/" + ws + "/members", ivy,
                "{\"email\":\"lea-" + suffix + "@example.test\",\"role\":\"viewer\"}");
        assertThat(invited.statusCode()).as(invited.body()).isEqualTo(202);
        JsonNode invitation = JSON.readTree(invited.body());
        HttpResponse<String> withdrawn = send("DELETE", "/v1/workspaces/" + ws + "/invitations/"
                + invitation.get("invitationId").asString(), ivy, null);
        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(204);
        assertThat(send("GET", "/v1/workspaces/" + ws + "/members", ivy, null, "Fleet-Consistency", consistency(withdrawn))
                .body()).doesNotContain("lea-" + suffix);
        HttpResponse<String> late = send("POST", "/v1/invitations/" + invitation.get("token").asString() + "/accept",
                person("lea-" + suffix), null);
        assertThat(late.statusCode()).isEqualTo(410);
        assertThat(late.body()).contains("invitation.withdrawn");
        assertThat(send("DELETE", "/v1/workspaces/" + ws + "/invitations/" + UUID.randomUUID(), ivy, null).body())
                .contains("invitation.not-found");
        HttpResponse<String> left = send("POST", "/v1/workspaces/" + ws + "/leave", jay, null);
        assertThat(left.statusCode()).as(left.body()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(5)).until(() -> send("GET", "/v1/workspaces/" + ws + "/devices", jay, null)
                .statusCode() == 404);
        assertThat(send("POST", "/v1/workspaces/" + ws + "/leave", ivy, null).body()).as("the last owner stays")
                .contains("workspace.last-owner");

        // platform administration, granted and taken by platform administrators only
        assertThat(send("PUT", "/v1/users/" + jayId + "/platform-admin", ivy, null).statusCode()).isEqualTo(403);
        HttpResponse<String> granted = send("PUT", "/v1/users/" + ivyId + "/platform-admin", admin, null);
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/v1/users", ivy, null).statusCode() == 200);
        assertThat(send("DELETE", "/v1/users/" + ivyId + "/platform-admin", ivy, null).body())
                .contains("user.own-administration");
        String adminId = JSON.readTree(send("GET", "/v1/user", admin, null).body()).get("id").asString();
        assertThat(send("DELETE", "/v1/users/" + adminId + "/platform-admin", ivy, null).body())
                .contains("user.configured-admin");
        assertThat(send("DELETE", "/v1/users/" + ivyId + "/platform-admin", admin, null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/v1/users", ivy, null).statusCode() == 403);
        assertThat(send("GET", "/v1/audit-log?workspace=%23platform&action=RevokePlatformAdmin", admin, null).body())
                .contains(ivyId);

        // a deleted workspace's devices are decommissioned by the platform
        assertThat(send("POST", "/v1/workspaces/" + ws + "/archive", ivy, null).statusCode()).isEqualTo(200);
        HttpResponse<String> deleted = await().atMost(Duration.ofSeconds(30)).until(() -> send("DELETE",
                "/v1/workspaces/" + ws, ivy, null), r -> r.statusCode() != 409);
        assertThat(deleted.statusCode()).as(deleted.body()).isIn(200, 204);
        String wound = await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/v1/audit-log?workspace=" + wsId
                + "&action=DecommissionDevice", admin, null).body(), body -> body.contains(deviceId));
        assertThat(wound).contains("\"kind\":\"system\"", "\"outcome\":\"accepted\"");

        // past a limit: 429 with the headers (a counter filled as by many requests a moment ago)
        String kim = person("kim-" + suffix);
        String kimId = JSON.readTree(send("GET", "/v1/user", kim, null).body()).get("id").asString();
        org.redisson.config.Config config = new org.redisson.config.Config();
        config.useSingleServer().setAddress(platform.infra.redis().url());
        org.redisson.api.RedissonClient redis = org.redisson.Redisson.create(config);
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(("user:" + kimId)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String counter = "fleet:ratelimit:{" + java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(java.util.Arrays.copyOf(digest, 16)) + "}:1s";
            redis.getBucket(counter, org.redisson.client.codec.StringCodec.INSTANCE).set("100000", Duration.ofSeconds(20));
            HttpResponse<String> limited = send("GET", "/v1/user", kim, null);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(limited.body()).contains("\"code\":\"rate-limit.exceeded\"");
            assertThat(limited.headers().firstValue("RateLimit-Limit")).hasValue("100000");
            assertThat(limited.headers().firstValue("RateLimit-Remaining")).hasValue("0");
            assertThat(limited.headers().firstValue("RateLimit-Reset")).isPresent();
            assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isPositive();
            assertThat(send("GET", "/v1/user", ivy, null).statusCode()).as("another person's quota is their own").isEqualTo(200);
        } finally {
            redis.shutdown();
        }
    }
}
