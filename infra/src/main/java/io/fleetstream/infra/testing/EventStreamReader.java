package io.fleetstream.infra.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test support: opens a Server-Sent Events stream and collects its lines on a background thread. */
public final class EventStreamReader implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final HttpResponse<InputStream> response;

    private EventStreamReader(HttpResponse<InputStream> response) {
        this.response = response;
        Thread reader = new Thread(this::read, "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream with a bearer token; check {@link #status()} before relying on lines. */
    public static EventStreamReader open(HttpClient http, URI uri, String bearerToken)
            throws IOException, InterruptedException {
        return new EventStreamReader(http.send(HttpRequest.newBuilder(uri)
                .timeout(java.time.Duration.ofSeconds(60)) // until the answer's headers: a stuck open fails the test
                .header("Authorization", "Bearer " + bearerToken)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the stream ended
        }
    }

    public int status() {
        return response.statusCode();
    }

    /** The lines received so far, e.g. {@code event:device.created} and {@code data:{…}}. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
