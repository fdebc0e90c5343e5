package io.fleetstream.support.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers the container's error dispatches (an exception or {@code sendError} outside Spring MVC's own
 * handling: in a filter, in the security chain, a servlet of our own) with problem details, in place of
 * Spring Boot's BasicErrorController and its JSON or HTML. {@code /error} asked for directly is no resource.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    private final JsonMapper json;

    public ProblemErrorController(JsonMapper json) {
        this.json = json;
    }

    @RequestMapping
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(status instanceof Integer code)) {
            ProblemResponses.write(request, response, json, CommonErrors.NOT_FOUND, "No resource at this path.");
            return;
        }
        Throwable thrown = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        FleetException fleet = find(thrown, FleetException.class);
        ProblemDetail problem;
        if (fleet != null) {
            problem = Problems.of(fleet.error(), ClientText.echo(fleet.getMessage(), 300), fleet.properties());
        } else if (code >= 500 && code != 503) {
            String incident = UUID.randomUUID().toString();
            log.error("unexpected error on {} {} (incident {})", request.getMethod(),
                    request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), incident, thrown);
            problem = Problems.of(CommonErrors.INTERNAL, "Incident " + incident + ".");
        } else {
            ErrorCode error = CommonErrors.forStatus(code);
            problem = Problems.of(error, error.title() + ".");
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        problem.setInstance(uri instanceof String path ? ProblemResponses.instance(path) : null);
        ProblemResponses.write(request, response, json, problem);
    }

    private static <T extends Throwable> T find(Throwable thrown, Class<T> type) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
