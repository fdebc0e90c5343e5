package io.fleetstream.gateway.proxy;

import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.ErrorCode;
import io.fleetstream.support.web.FleetException;
import io.fleetstream.support.web.Problems;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v1/workspaces/{workspace}/stream} through the gateway. Not a controller method: the
 * request turns asynchronous here and is answered from the HTTP client's threads, which Spring MVC's
 * request lifecycle does not expect of a handler. Authentication has happened in the filter chain before
 * (the query service checks the token again).
 *
 * <p>Open streams are counted per gateway ({@link OpenStreams}); beyond the limit, or while the gateway
 * stops, the answer is 503 with Retry-After.
 */
class StreamProxyServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(StreamProxyServlet.class);
    /** How long the query service may take to start answering a stream. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);
    /** Takes nothing: releases an upstream body nobody will read. */
    private static final Flow.Subscriber<List<ByteBuffer>> CANCEL = new Flow.Subscriber<>() {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    };

    private final transient QueryForwarding forwarding;
    private final transient JsonMapper json;
    private final transient OpenStreams streams;

    StreamProxyServlet(QueryForwarding forwarding, JsonMapper json, OpenStreams streams) {
        this.forwarding = forwarding;
        this.json = json;
        this.streams = streams;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpRequest upstream;
        try {
            upstream = forwarding.forward(request, ANSWER_WITHIN);
        } catch (FleetException e) {
            problem(request, response, e.error(), e.getMessage());
            return;
        }
        if (!streams.reserve()) {
            response.setHeader("Retry-After", "10");
            problem(request, response, CommonErrors.UNAVAILABLE, "This gateway serves its maximum of open event streams.");
            return;
        }
        try {
            AsyncContext async = request.startAsync();
            async.setTimeout(0); // a relay ends on its own: upstream ends, the client leaves, or upstream falls silent
            forwarding.http().sendAsync(upstream, HttpResponse.BodyHandlers.ofPublisher())
                    .whenComplete((answer, error) -> {
                        try {
                            relay(request, async, answer, error);
                        } catch (RuntimeException unexpected) {
                            log.warn("event stream could not be relayed", unexpected);
                        }
                    });
        } catch (RuntimeException e) {
            streams.cancel();
            throw e;
        }
    }

    private void relay(HttpServletRequest request, AsyncContext async,
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> answer, Throwable error) {
        StreamRelay relay;
        try {
            HttpServletResponse response = (HttpServletResponse) async.getResponse();
            if (error != null) {
                problem(request, response, CommonErrors.UNAVAILABLE, "The query service cannot be reached or did not answer.");
                end(async);
                return;
            }
            forwarding.copyStatusAndHeaders(answer, response);
            relay = new StreamRelay(async, streams::ended);
        } catch (IOException | RuntimeException e) {
            // the client left, or the gateway stopped, before the relay began
            log.debug("event stream could not be relayed: {}", e.toString());
            if (answer != null) {
                answer.body().subscribe(CANCEL); // let go of the connection to the query service
            }
            end(async);
            return;
        }
        // from here on the relay gives the place back itself, once, however it ends
        streams.relaying(relay);
        answer.body().subscribe(relay);
    }

    private void end(AsyncContext async) {
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // the client left meanwhile
        }
        streams.cancel();
    }

    private void problem(HttpServletRequest request, HttpServletResponse response, ErrorCode error, String detail)
            throws IOException {
        ProblemDetail problem = Problems.of(error, detail);
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setStatus(error.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
