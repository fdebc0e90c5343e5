package io.fleetstream.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./fleet bench reads [--clients 50] [--seconds 20]}: {@code GET …/devices/{id}} by concurrent clients,
 * each awaiting its answer, first with a person's token, then with an API key of the scope
 * {@code devices:read}, so that the cost of authentication, the workspace check and rate limiting shows.
 * Run the platform with {@code FLEET_RATE_LIMITS=off} (or limits above the offered rate): one principal
 * sends all of these requests.
 */
public final class ReadBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReadBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = TelemetryBench.options(args);
        String gateway = options.getOrDefault("gateway", "http://localhost:8080");
        String issuer = options.getOrDefault("issuer", "http://localhost:8089");
        int clients = CommandBench.bounded(options, "clients", 50, 1, 512);
        int seconds = CommandBench.bounded(options, "seconds", 20, 1, 600);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).build();
        String token = TelemetryBench.token(http, issuer);
        String base = TelemetryBench.workspace(http, gateway, token);
        String device = CommandBench.register(http, base, token, 0);
        HttpResponse<String> made = http.send(HttpRequest.newBuilder(URI.create(base + "/api-keys"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\",\"scopes\":[\"devices:read\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (made.statusCode() != 201) {
            throw new IllegalStateException("creating the bench's key answered " + made.statusCode() + ": " + made.body());
        }
        String key = JSON.readTree(made.body()).get("secret").asString();
        URI read = URI.create(base + "/devices/" + device);
        for (int attempt = 0; attempt < 100 && get(http, read, key) != 200; attempt++) {
            TimeUnit.MILLISECONDS.sleep(100); // until the gateways know the new key, not pacing load
        }
        for (String[] who : new String[][] {{"a person's token", token}, {"an API key (devices:read)", key}}) {
            run(http, read, who[1], clients, Duration.ofSeconds(Math.min(3, seconds))); // warm-up
            CommandBench.Result result = run(http, read, who[1], clients, Duration.ofSeconds(seconds));
            System.out.printf(Locale.ROOT, "%nGET …/devices/{id} with %s, %d clients, %d s:%n", who[0], clients, seconds);
            result.print("reads/s");
        }
        System.exit(0);
    }

    private static CommandBench.Result run(HttpClient http, URI read, String credential, int clients, Duration duration)
            throws InterruptedException {
        CommandBench.Result result = new CommandBench.Result(5_000_000);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            pool.execute(() -> {
                try {
                    while (System.nanoTime() < end) {
                        long sent = System.nanoTime();
                        int status = get(http, read, credential);
                        result.record(status, (System.nanoTime() - sent) / 1000);
                    }
                } catch (Exception e) {
                    System.err.println("client stopped: " + e);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        result.nanos = System.nanoTime() - start;
        pool.shutdown();
        return result;
    }

    private static int get(HttpClient http, URI uri, String credential) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + credential).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
