package io.fleetstream.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./fleet bench commands}: how many writes per second the command path accepts, and how fast it
 * answers at a steady rate. Each of {@code --clients} REST clients (32) owns a device it registered and
 * changes its settings again and again, awaiting each answer: the accepted commands per second, closed
 * loop, for {@code --seconds} (20). Then {@code --rate} (200) commands per second, open loop, spread over
 * the same devices, with the latency of each answer. Every change is a real command: an event stored,
 * published and projected. Loopback only.
 */
public final class CommandBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CommandBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = TelemetryBench.options(args);
        String gateway = options.getOrDefault("gateway", "http://localhost:8080");
        String issuer = options.getOrDefault("issuer", "http://localhost:8089");
        int clients = bounded(options, "clients", 32, 1, 512);
        int seconds = bounded(options, "seconds", 20, 1, 600);
        int rate = bounded(options, "rate", 200, 1, 10_000);
        options.remove("mqtt-port");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).build();
        String token = TelemetryBench.token(http, issuer);
        String base = TelemetryBench.workspace(http, gateway, token);
        System.out.printf(Locale.ROOT, "registering %d devices...%n", clients);
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            devices.add(register(http, base, token, i));
        }

        warmUp(http, base, token, devices);
        Result closed = closedLoop(http, base, token, devices, Duration.ofSeconds(seconds));
        System.out.printf(Locale.ROOT, "%n%d clients, each awaiting its answer, %d s:%n", clients, seconds);
        closed.print();
        Result open = openLoop(http, base, token, devices, rate, Duration.ofSeconds(Math.min(seconds, 15)));
        System.out.printf(Locale.ROOT, "%n%d commands/s offered, open loop, %d s:%n", rate, Math.min(seconds, 15));
        open.print();
        System.exit(0);
    }

    /** Latencies in microseconds and outcomes of one phase. */
    static final class Result {
        final long[] latencies;
        final AtomicLong count = new AtomicLong();
        final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        long nanos;

        Result(int capacity) {
            latencies = new long[capacity];
        }

        void record(int status, long micros) {
            statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
            long index = count.getAndIncrement();
            if (index < latencies.length) {
                latencies[(int) index] = micros;
            }
        }

        void print() {
            print("accepted commands/s");
        }

        void print(String unit) {
            int n = (int) Math.min(count.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            long accepted = statuses.getOrDefault(200, new LongAdder()).sum();
            Map<Integer, Long> byStatus = new TreeMap<>();
            statuses.forEach((status, adder) -> byStatus.put(status, adder.sum()));
            System.out.printf(Locale.ROOT, "  answered 200: %,d of %,d (by status %s): %,.0f %s%n",
                    accepted, count.get(), byStatus, accepted / (nanos / 1e9), unit);
            System.out.printf(Locale.ROOT, "  answer latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99),
                    n == 0 ? 0.0 : sorted[n - 1] / 1000.0);
        }

        private static double percentile(long[] sorted, double p) {
            return sorted.length == 0 ? 0.0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
        }
    }

    private static void warmUp(HttpClient http, String gateway, String token, List<String> devices) throws Exception {
        for (int round = 0; round < 3; round++) {
            for (String device : devices) {
                change(http, gateway, token, device, -1 - round);
            }
        }
    }

    private static Result closedLoop(HttpClient http, String gateway, String token, List<String> devices,
            Duration duration) throws Exception {
        Result result = new Result(2_000_000);
        ExecutorService pool = Executors.newFixedThreadPool(devices.size());
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        CountDownLatch done = new CountDownLatch(devices.size());
        for (String device : devices) {
            pool.execute(() -> {
                try {
                    for (int i = 0; System.nanoTime() < end; i++) {
                        long sent = System.nanoTime();
                        int status = change(http, gateway, token, device, i);
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

    /** Commands at a steady rate, each on the next device in turn, whether or not earlier ones were answered. */
    private static Result openLoop(HttpClient http, String gateway, String token, List<String> devices, int rate,
            Duration duration) throws Exception {
        int total = (int) (rate * duration.toSeconds());
        Result result = new Result(total);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(256, Math.max(8, rate / 10)));
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        CountDownLatch done = new CountDownLatch(total);
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int index = i % devices.size();
            int value = 1_000_000 + i;
            pool.execute(() -> {
                try {
                    long sent = System.nanoTime();
                    int status = change(http, gateway, token, devices.get(index), value);
                    result.record(status, (System.nanoTime() - sent) / 1000);
                } catch (Exception e) {
                    result.record(-1, 0);
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

    private static int change(HttpClient http, String gateway, String token, String device, int value) throws Exception {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(gateway + "/devices/" + device + "/settings"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"bench\":" + value + "}"))
                .build(), HttpResponse.BodyHandlers.discarding());
        return response.statusCode();
    }


    static String register(HttpClient http, String gateway, String token, int i) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(gateway + "/devices"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench-" + i + "\",\"type\":\"bench\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("registration answered " + created.statusCode() + ": " + created.body());
        }
        JsonNode body = JSON.readTree(created.body());
        return body.get("id").asString();
    }

    static int bounded(Map<String, String> options, String name, int fallback, int min, int max) {
        int value = Integer.parseInt(options.getOrDefault(name, String.valueOf(fallback)));
        if (value < min || value > max) {
            throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max);
        }
        return value;
    }
}
