package io.fleetstream.support.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a problem outside Spring MVC's message converters: from filters, security handlers, the error
 * controller and the container's own error valve. Every such answer carries an {@code X-Request-Id}.
 */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static void write(HttpServletRequest request, HttpServletResponse response, JsonMapper json,
            ProblemDetail problem) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        ensureRequestId(request, response);
        if (problem.getInstance() == null) {
            problem.setInstance(instance(request));
        }
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        byte[] body = json.writeValueAsBytes(problem);
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IllegalStateException writerInUse) {
            // the failed handler had taken the writer: answer through it
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(new String(body, StandardCharsets.UTF_8));
        }
    }

    public static void write(HttpServletRequest request, HttpServletResponse response, JsonMapper json,
            ErrorCode error, String detail) throws IOException {
        write(request, response, json, Problems.of(error, detail));
    }

    /** The id the correlation filter gave this request, or one made now for an answer the filter never saw. */
    public static String ensureRequestId(HttpServletRequest request, HttpServletResponse response) {
        String id = response.getHeader(RequestCorrelationFilter.HEADER);
        if (id == null) {
            Object known = request.getAttribute(RequestCorrelationFilter.ATTRIBUTE);
            id = known instanceof String given ? given
                    : RequestCorrelationFilter.idFor(request.getHeader(RequestCorrelationFilter.HEADER));
            response.setHeader(RequestCorrelationFilter.HEADER, id);
        }
        return id;
    }

    /** The request's path as the problem's instance, when it is a valid URI reference (it need not be). */
    public static URI instance(HttpServletRequest request) {
        return instance(request.getRequestURI());
    }

    public static URI instance(String path) {
        if (path == null || path.length() > 512) {
            return null;
        }
        try {
            return new URI(path);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
