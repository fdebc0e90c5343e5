package io.fleetstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every route under a workspace, as {@code /v1/openapi.json} lists them with what each requires
 * ({@code x-fleet-access}, {@code x-fleet-scope}): a person who is not a member gets 404, a viewer 403 where
 * the route takes more than a viewer, and an API key without the route's scope 403. A new route is in the
 * table the moment it exists, so it cannot be forgotten here.
 */
class WorkspaceRoutesE2E {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Platform platform;

    private record Route(String method, String template, String access, String scope) {
        boolean stream() {
            return template.endsWith("/stream");
        }
    }

    @BeforeAll
    static void start() {
        platform = Platform.get();
    }

    @Test
    void everyRouteUnderAWorkspace_refusesStrangers_viewersBeyondTheirRole_andKeysWithoutTheScope() throws Exception {
        String workspace = "routes-" + UUID.randomUUID().toString().substring(0, 8);
        String owner = platform.member(workspace, "owner");
        String viewer = platform.member(workspace, "viewer");
        String stranger = platform.member("routes-other-" + UUID.randomUUID().toString().substring(0, 8), "owner");
        String onlyWorkspace = key(workspace, owner, "workspace:read");
        String onlyDevices = key(workspace, owner, "devices:read");

        List<Route> routes = routes();
        assertThat(routes).as("the table is read from the API description").hasSizeGreaterThan(15)
                .extracting(Route::template).contains("/v1/workspaces/{workspace}/devices",
                        "/v1/workspaces/{workspace}/members", "/v1/workspaces/{workspace}/api-keys");
        List<String> checked = new ArrayList<>();
        for (Route route : routes) {
            String path = route.template().replace("{workspace}", workspace).replaceAll("\\{[^}/]+}",
                    UUID.randomUUID().toString());

            HttpResponse<String> strangers = send(route, path, stranger);
            assertThat(strangers.statusCode()).as("a non-member, %s", route).isEqualTo(404);
            assertThat(strangers.body()).as("%s", route).contains("\"code\":\"workspace.not-found\"");

            if (!route.access().equals("viewer")) {
                HttpResponse<String> viewers = send(route, path, viewer);
                assertThat(viewers.statusCode()).as("a viewer, %s", route).isEqualTo(403);
                assertThat(viewers.body()).as("%s", route).contains("\"code\":\"auth.forbidden\"");
            }

            String key = route.scope().equals("workspace:read") ? onlyDevices : onlyWorkspace;
            HttpResponse<String> keys = send(route, path, key);
            assertThat(keys.statusCode()).as("a key without %s, %s", route.scope(), route).isEqualTo(403);
            assertThat(keys.body()).as("%s", route).contains("\"code\":\"auth.scope-missing\"");
            checked.add(route.method() + " " + route.template());
        }
        System.out.println("workspace routes checked (non-member, viewer, key without scope): " + checked.size() + " "
                + checked);
    }

    private static List<Route> routes() throws Exception {
        JsonNode api = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(platform.gateway() + "/v1/openapi.json"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body());
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : api.get("paths").properties()) {
            if (!path.getKey().startsWith("/v1/workspaces/{workspace}")) {
                continue;
            }
            for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method);
                if (operation == null) {
                    continue;
                }
                assertThat(operation.has("x-fleet-access") && operation.has("x-fleet-scope"))
                        .as("%s %s says what it requires", method, path.getKey()).isTrue();
                routes.add(new Route(method.toUpperCase(Locale.ROOT), path.getKey(), operation.get("x-fleet-access").asString(),
                        operation.get("x-fleet-scope").asString()));
            }
        }
        return routes;
    }

    /** A key of the workspace with one scope, once the gateways know it. */
    private static String key(String workspace, String owner, String scope) throws Exception {
        HttpResponse<String> made = call("POST", "/v1/workspaces/" + workspace + "/api-keys", owner,
                "{\"name\":\"" + scope + "\",\"scopes\":[\"" + scope + "\"]}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String secret = JSON.readTree(made.body()).get("secret").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> call("GET", "/v1/workspaces", secret, null).statusCode() == 200);
        return secret;
    }

    private static HttpResponse<String> send(Route route, String path, String token) throws Exception {
        String body = route.method().equals("GET") || route.method().equals("DELETE") ? null : "{}";
        return call(route.method(), path, token, body);
    }

    private static HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.gateway() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
