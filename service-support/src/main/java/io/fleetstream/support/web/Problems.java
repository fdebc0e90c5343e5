package io.fleetstream.support.web;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds RFC 9457 problem details in the one shape all Fleetstream services answer with. */
public final class Problems {

    public static final String TYPE_PREFIX = "urn:fleetstream:problem:";

    private Problems() {
    }

    public static ProblemDetail of(ErrorCode error, String detail) {
        return of(error, detail, Map.of());
    }

    public static ProblemDetail of(ErrorCode error, String detail, Map<String, Object> properties) {
        return of(error.status(), error.code(), error.title(), detail, error.remedy(), properties);
    }

    public static ProblemDetail of(HttpStatusCode status, String code, String title, String detail, String remedy,
            Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + code));
        problem.setTitle(title);
        problem.setProperty("code", code);
        if (remedy != null) {
            problem.setProperty("remedy", remedy);
        }
        properties.forEach(problem::setProperty);
        return problem;
    }
}
