package io.fleetstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
}
