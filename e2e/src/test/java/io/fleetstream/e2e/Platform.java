package io.fleetstream.e2e;

import io.fleetstream.infra.FleetInfrastructure;
import io.fleetstream.infra.Ports;
import io.fleetstream.infra.SharedInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * The whole platform for end-to-end tests: the shared embedded infrastructure of this JVM plus the
 * four services as separate processes started from their executable jars, configured through the same
 * FLEET_* variables the README documents. Started once, stopped when the JVM exits.
 */
final class Platform {

    /** Small, so that a test can reach it. */
    static final int MAX_STREAMS = 3;
    /** The gateway's request threads: fewer than {@link #MAX_STREAMS}. */
    static final int GATEWAY_REQUEST_THREADS = 2;

    private static Platform instance;

    final int gatewayPort = Ports.free();
    final int queryPort = Ports.free();
    final int mqttPort = Ports.free();
    final int commandPort = Ports.free();
    final int projectorPort = Ports.free();
    final FleetInfrastructure infra = SharedInfrastructure.get();
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();

    static synchronized Platform get() {
        if (instance == null) {
            instance = new Platform();
            instance.start();
        }
        return instance;
    }

    String gateway() {
        return "http://localhost:" + gatewayPort;
    }

    /** Where each of the four services answers HTTP (health, metrics; the gateway and query service also the API). */
    Map<String, String> serviceUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("command-service", "http://localhost:" + env.get("FLEET_COMMAND_SERVICE_PORT"));
        urls.put("projector", "http://localhost:" + env.get("FLEET_PROJECTOR_PORT"));
        urls.put("query-service", "http://localhost:" + queryPort);
        urls.put("ingest-gateway", gateway());
        return urls;
    }

    private void start() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "platform-stop"));
        env.putAll(infra.environment());
        env.put("FLEET_GATEWAY_PORT", String.valueOf(gatewayPort));
        env.put("FLEET_QUERY_SERVICE_PORT", String.valueOf(queryPort));
        env.put("FLEET_COMMAND_SERVICE_PORT", String.valueOf(commandPort));
        env.put("FLEET_PROJECTOR_PORT", String.valueOf(projectorPort));
        env.put("FLEET_GATEWAY_QUERY_URL", "http://localhost:" + queryPort);
        env.put("FLEET_GATEWAY_MQTT_PORT", String.valueOf(mqttPort));
        env.put("FLEET_GATEWAY_MQTT_BIND_ADDRESS", "127.0.0.1");
        env.put("FLEET_GATEWAY_MAX_STREAMS", String.valueOf(MAX_STREAMS));
        // raised for the suite, whose generated cases send thousands of requests as one person; the gateway's own
        // RateLimiterIT checks the default tiers against Redis
        env.put("FLEET_RATE_LIMITS", "100000/1s");
        // frequent keep-alives let the gateway notice quickly that a test closed its stream
        env.put("FLEET_QUERY_STREAM_HEARTBEAT", "1s");
        // a loaded CI machine may be slow; tests assert behaviour, never how fast it is
        env.put("FLEET_GATEWAY_COMMAND_TIMEOUT", "60s");
        env.put("FLEET_QUERY_CONSISTENCY_TIMEOUT", "30s");
        Map<String, String> healthUrls = new LinkedHashMap<>();
        for (String service : List.of("command-service", "projector", "query-service")) {
            processes.add(launch(service, env, service + ".log"));
        }
        Map<String, String> gatewayEnv = new LinkedHashMap<>(env);
        // Fewer request threads than MAX_STREAMS: open event streams must not hold one each.
        gatewayEnv.put("SERVER_TOMCAT_THREADS_MAX", String.valueOf(GATEWAY_REQUEST_THREADS));
        gatewayEnv.put("SERVER_TOMCAT_THREADS_MIN_SPARE", "1");
        processes.add(launch("ingest-gateway", gatewayEnv, "ingest-gateway.log"));
        healthUrls.put("command-service", "http://localhost:" + env.get("FLEET_COMMAND_SERVICE_PORT") + "/v1/health");
        healthUrls.put("projector", "http://localhost:" + env.get("FLEET_PROJECTOR_PORT") + "/v1/health");
        healthUrls.put("query-service", "http://localhost:" + queryPort + "/v1/health");
        healthUrls.put("ingest-gateway", gateway() + "/v1/health");
        HttpClient http = HttpClient.newHttpClient();
        healthUrls.forEach((service, url) -> Awaitility.await(service + " healthy")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    processes.forEach(p -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("a service exited with " + p.exitValue()
                                    + "; see " + System.getProperty("fleet.e2e.logs"));
                        }
                    });
                    try {
                        return http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                }));
        warmUp(http);
    }

    /**
     * The first write pays for consumer-group joins and cold code in every service, and the first API
     * description is generated on demand: done here once, so that no test's own wait has to absorb it.
     */
    private void warmUp(HttpClient http) {
        Awaitility.await("a first write is answered and readable").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    String token = member("e2e-warm-up", "owner");
                    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(gateway() + under(token, "/v1/devices")))
                            .timeout(Duration.ofSeconds(90))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"warm-up\",\"type\":\"e2e\"}"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    if (created.statusCode() != 201) {
                        return false;
                    }
                    String id = created.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
                    return http.send(HttpRequest.newBuilder(URI.create(gateway() + under(token, "/v1/devices/" + id)))
                            .timeout(Duration.ofSeconds(90))
                            .header("Authorization", "Bearer " + token)
                            .header("Fleet-Consistency", created.headers().firstValue("Fleet-Consistency").orElseThrow())
                            .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
        Awaitility.await("the query service describes its API").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + queryPort + "/v1/openapi.json"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    private final Map<String, String> members = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> workspaceOfToken = new java.util.concurrent.ConcurrentHashMap<>();
    private final HttpClient api = HttpClient.newHttpClient();

    /** A token of the platform administrator the embedded default names ({@code admin}). */
    String adminToken() {
        return infra.issuer().mintPerson("admin", "admin@example.test", "Admin", Duration.ofHours(2));
    }

    /**
     * The token of a person who is a member of the workspace (slug) with the role, made so through the API as
     * the platform administrator (as {@code ./fleet token --workspace W --role R} does): the workspace is
     * created when it does not exist, and the token is answered once the membership can be seen.
     */
    String member(String workspace, String role) {
        return members.computeIfAbsent(workspace + "/" + role, k -> enrol(workspace, role));
    }

    /** A path under the workspace of a {@link #member} token: {@code /v1/devices…} and {@code /v1/stream}. */
    String under(String token, String path) {
        String workspace = token == null ? null : workspaceOfToken.get(token);
        if (workspace != null && (path.startsWith("/v1/devices") || path.startsWith("/v1/stream"))) {
            return "/v1/workspaces/" + workspace + path.substring(3);
        }
        return path;
    }

    /** The id of a workspace of the tests, by its slug. */
    String workspaceId(String slug) {
        try {
            HttpResponse<String> workspace = call("GET", "/v1/workspaces/" + slug, adminToken(), null);
            return workspace.body().replaceAll("(?s)^\\{\"id\":\"([^\"]+)\".*", "$1");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String enrol(String workspace, String role) {
        String subject = "e2e-" + role + "-" + Integer.toHexString(workspace.hashCode());
        String token = infra.issuer().mintPerson(subject, subject + "@example.test", subject, Duration.ofHours(2));
        String admin = adminToken();
        String userId = Awaitility.await("the person becomes a user").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    HttpResponse<String> me = call("GET", "/v1/user", token, null);
                    return me.statusCode() == 200 ? me.body().replaceAll("(?s)^\\{\"id\":\"([^\"]+)\".*", "$1") : null;
                }, id -> id != null && id.length() == 36);
        Awaitility.await("the workspace exists and " + subject + " is its " + role).atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (call("GET", "/v1/workspaces/" + workspace, admin, null).statusCode() == 404) {
                        call("POST", "/v1/workspaces", admin, "{\"name\":\"" + workspace + "\",\"slug\":\"" + workspace + "\"}");
                        return false;
                    }
                    int added = call("POST", "/v1/workspaces/" + workspace + "/members", admin,
                            "{\"userId\":\"" + userId + "\",\"role\":\"" + role + "\"}").statusCode();
                    return added == 201 || added == 409;
                });
        Awaitility.await(subject + " sees the workspace").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> call("GET", "/v1/workspaces/" + workspace, token, null).statusCode() == 200);
        workspaceOfToken.put(token, workspace);
        return token;
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return api.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What a one-off command printed, and how it exited. */
    record Outcome(int exitCode, String output) {
    }

    /**
     * Runs a service's executable jar as a one-off command with the platform's configuration, as an operator
     * would (for example {@code projector rebuild devices}), and waits for it to exit.
     */
    Outcome run(String service, String... args) throws IOException, InterruptedException {
        String log = service + "-" + String.join("-", args) + ".log";
        Process process = launch(service, env, log, args);
        if (!process.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(service + " " + String.join(" ", args) + " did not finish in 3 minutes");
        }
        return new Outcome(process.exitValue(), Files.readString(Path.of(System.getProperty("fleet.e2e.logs")).resolve(log)));
    }

    private static Process launch(String service, Map<String, String> env, String logFile, String... args) {
        Path root = Path.of(System.getProperty("fleet.e2e.jars"));
        Path jar = root.resolve(service).resolve("target")
                .resolve(service + "-" + System.getProperty("fleet.e2e.version") + "-exec.jar");
        Path logs = Path.of(System.getProperty("fleet.e2e.logs"));
        try {
            Files.createDirectories(logs);
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve(logFile).toFile());
            builder.environment().putAll(env);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + service + " from " + jar, e);
        }
    }

    private void stop() {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
