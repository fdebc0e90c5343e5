package io.fleetstream.support.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where errors become RFC 9457 problem details. Every answer carries a stable
 * {@code code} and a {@code remedy}; no stack trace ever reaches a client.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(FleetException.class)
    ResponseEntity<ProblemDetail> fleet(FleetException e, HttpServletRequest request) {
        ProblemDetail problem = Problems.of(e.error(), e.getMessage(), e.properties());
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(e.error().status()).body(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        String incident = UUID.randomUUID().toString();
        log.error("unexpected error on {} {} (incident {})", request.getMethod(), request.getRequestURI(), incident, e);
        ProblemDetail problem = Problems.of(CommonErrors.INTERNAL, "Incident " + incident + ".");
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(error -> Map.<String, Object>of("field", error.getField(),
                        "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        ProblemDetail problem = Problems.of(CommonErrors.INVALID_REQUEST,
                errors.size() + " field(s) invalid", Map.of("errors", errors));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** Gives Spring MVC's own errors (unreadable body, wrong method, unknown path …) our shape. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail detail && detail.getProperties() != null
                && detail.getProperties().containsKey("code") ? detail : translate(statusCode, body);
        if (request instanceof ServletWebRequest servlet) {
            problem.setInstance(URI.create(servlet.getRequest().getRequestURI()));
        }
        return super.handleExceptionInternal(ex, problem, headers, statusCode, request);
    }

    private static ProblemDetail translate(HttpStatusCode status, Object body) {
        ErrorCode error = switch (status.value()) {
            case 400 -> CommonErrors.MALFORMED_BODY;
            case 404 -> CommonErrors.NOT_FOUND;
            case 405 -> CommonErrors.METHOD_NOT_ALLOWED;
            case 415 -> CommonErrors.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> CommonErrors.UNAVAILABLE;
            default -> null;
        };
        String detail = body instanceof ProblemDetail original ? original.getDetail() : null;
        if (error == null) {
            return Problems.of(status, "request.rejected", HttpStatus.valueOf(status.value()).getReasonPhrase(),
                    detail, null, Map.of());
        }
        return Problems.of(error, detail == null ? error.title() : detail);
    }
}
