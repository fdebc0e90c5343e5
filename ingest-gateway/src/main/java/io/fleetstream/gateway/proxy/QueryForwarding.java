package io.fleetstream.gateway.proxy;

import io.fleetstream.gateway.GatewayProperties;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import io.fleetstream.support.web.RequestCorrelationFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import io.fleetstream.schemas.ConsistencyToken;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * How a read is passed to the query service and its answer passed back: which headers go each way. The
 * caller's token goes with it and is checked again there.
 */
@Component
class QueryForwarding implements DisposableBean {

    private static final List<String> REQUEST_HEADERS = List.of("Authorization", "Accept", "Accept-Encoding",
            "Fleet-Consistency", "Last-Event-ID", "If-None-Match");
    /** X-Request-Id is not among them: the gateway answers its own, the same it passed on. */
    private static final Set<String> RESPONSE_HEADERS = Set.of("content-type", "content-encoding", "cache-control",
            "etag", "last-modified", "location", "retry-after", "www-authenticate", "fleet-consistency");

    /**
     * A few threads serve every relayed stream: relays never block (they write with the servlet's
     * non-blocking output), so the client's default, unbounded pool would only grow with the stream count.
     */
    private final ExecutorService relayThreads = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), daemonThreads("query-relay-"));
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(relayThreads)
            .build();
    private final URI target;

    QueryForwarding(GatewayProperties properties) {
        this.target = properties.queryUrl();
    }

    private static CustomizableThreadFactory daemonThreads(String prefix) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
        threads.setDaemon(true);
        return threads;
    }

    HttpClient http() {
        return http;
    }

    @Override
    public void destroy() {
        relayThreads.shutdownNow();
    }

    /**
     * The same GET, addressed to the query service; built on the request's thread (it reads the request id).
     *
     * @param answerWithin how long the query service may take to answer with its headers
     * @throws FleetException 400 when the path or query is not a valid URI (a stray {@code %}, say)
     */
    HttpRequest forward(HttpServletRequest request, Duration answerWithin) {
        return forward(request, answerWithin, null);
    }

    /**
     * @param consistency a read-your-writes token of the gateway's own making (a user it registered), sent
     *                    when the request carries none of its own
     */
    HttpRequest forward(HttpServletRequest request, Duration answerWithin, @Nullable String consistency) {
        String query = request.getQueryString();
        URI uri;
        try {
            uri = target.resolve(request.getRequestURI() + (query == null ? "" : "?" + query));
        } catch (IllegalArgumentException e) {
            throw new FleetException(CommonErrors.MALFORMED_URI, "The request's path or query is not a valid URI.");
        }
        HttpRequest.Builder forward = HttpRequest.newBuilder(uri).GET().timeout(answerWithin);
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
        if (consistency != null && request.getHeader(ConsistencyToken.HEADER) == null) {
            forward.header(ConsistencyToken.HEADER, consistency);
        }
        return forward.build();
    }

    void copyStatusAndHeaders(HttpResponse<?> answer, HttpServletResponse response) {
        response.setStatus(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (RESPONSE_HEADERS.contains(name.toLowerCase())) {
                values.forEach(value -> response.addHeader(name, value));
            }
        });
    }
}
