package io.fleetstream.gateway.proxy;

import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves every read the gateway does not answer itself from the query service, so clients use one
 * origin. Answers are short and copied as they arrive; the event stream has a relay of its own
 * ({@link StreamProxyServlet}).
 */
@Hidden
@RestController
class QueryProxyController {

    /** Longer than the longest read-your-writes wait of the query service. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(60);

    private final QueryForwarding forwarding;

    QueryProxyController(QueryForwarding forwarding) {
        this.forwarding = forwarding;
    }

    @GetMapping("/v1/**")
    void proxy(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpResponse<InputStream> answer;
        try {
            answer = forwarding.http().send(forwarding.forward(request, ANSWER_WITHIN),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new FleetException(CommonErrors.UNAVAILABLE, "The query service cannot be reached or did not answer.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetException(CommonErrors.UNAVAILABLE, "Interrupted while reading.");
        }
        forwarding.copyStatusAndHeaders(answer, response);
        try (InputStream in = answer.body()) {
            OutputStream out = response.getOutputStream();
            try {
                in.transferTo(out);
            } catch (IOException clientGone) {
                // the caller closed the connection: not an error
            }
        }
    }
}
