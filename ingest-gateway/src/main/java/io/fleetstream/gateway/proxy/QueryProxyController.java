package io.fleetstream.gateway.proxy;

import io.fleetstream.gateway.GatewayProperties;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import io.fleetstream.support.web.RequestCorrelationFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import io.swagger.v3.oas.annotations.Hidden;
import org.slf4j.MDC;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves every read the gateway does not answer itself from the query service, so clients use one
 * origin. Responses are streamed as they arrive (Server-Sent Events included); the caller's token is
 * passed on and checked again there.
 */
@Hidden
@RestController
class QueryProxyController {

    private static final List<String> REQUEST_HEADERS = List.of("Authorization", "Accept", "Accept-Encoding",
            "Fleet-Consistency", "Last-Event-ID", "If-None-Match");
    /** X-Request-Id is not among them: the gateway answers its own, the same it passed on. */
    private static final Set<String> RESPONSE_HEADERS = Set.of("content-type", "content-encoding", "cache-control",
            "etag", "last-modified", "location", "retry-after", "www-authenticate", "fleet-consistency");

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final URI target;
    /** Streams hold a request thread each while open: bounded, so they can never starve writes and device intake. */
    private final Semaphore streams;

    QueryProxyController(GatewayProperties properties) {
        this.target = properties.queryUrl();
        this.streams = new Semaphore(properties.maxStreams());
    }

    @GetMapping("/v1/stream")
    void stream(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!streams.tryAcquire()) {
            response.setHeader("Retry-After", "10");
            throw new FleetException(CommonErrors.UNAVAILABLE, "This gateway serves its maximum of open event streams.");
        }
        try {
            proxy(request, response);
        } finally {
            streams.release();
        }
    }

    @GetMapping("/v1/**")
    void proxy(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String query = request.getQueryString();
        URI uri = target.resolve(request.getRequestURI() + (query == null ? "" : "?" + query));
        HttpRequest.Builder forward = HttpRequest.newBuilder(uri).GET();
        String requestId = MDC.get(RequestCorrelationFilter.MDC_KEY);
        if (requestId != null) {
            forward.header(RequestCorrelationFilter.HEADER, requestId);
        }
        for (String name : REQUEST_HEADERS) {
            String value = request.getHeader(name);
            if (value != null) {
                forward.header(name, value);
            }
        }
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new FleetException(CommonErrors.UNAVAILABLE, "The query service cannot be reached.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetException(CommonErrors.UNAVAILABLE, "Interrupted while reading.");
        }
        response.setStatus(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (RESPONSE_HEADERS.contains(name.toLowerCase())) {
                values.forEach(value -> response.addHeader(name, value));
            }
        });
        try (InputStream in = answer.body()) {
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                try {
                    out.write(buffer, 0, read);
                    if (in.available() == 0) {
                        out.flush(); // push each event of a stream as soon as it arrives
                    }
                } catch (IOException clientGone) {
                    return; // the caller closed the connection (an event stream it stopped reading): not an error
                }
            }
        }
    }
}
