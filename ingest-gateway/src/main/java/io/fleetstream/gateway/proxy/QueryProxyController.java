package io.fleetstream.gateway.proxy;

import io.fleetstream.gateway.people.People;
import io.fleetstream.schemas.ConsistencyToken;
import io.fleetstream.support.security.FleetSecurityProperties;
import io.fleetstream.support.security.Person;
import io.fleetstream.support.security.Principal;
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
    private final People people;
    private final FleetSecurityProperties security;

    QueryProxyController(QueryForwarding forwarding, People people, FleetSecurityProperties security) {
        this.forwarding = forwarding;
        this.people = people;
        this.security = security;
    }

    @GetMapping("/v1/**")
    void proxy(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // a person seen for the first time becomes a user before their first read, which then waits to see them
        String registered = null;
        if (Principal.current(security) instanceof Person person) {
            registered = people.ensure(person).map(ConsistencyToken::toString).orElse(null);
        }
        HttpResponse<InputStream> answer;
        try {
            answer = forwarding.http().send(forwarding.forward(request, ANSWER_WITHIN, registered),
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
