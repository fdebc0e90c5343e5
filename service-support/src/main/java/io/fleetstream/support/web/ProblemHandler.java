package io.fleetstream.support.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where errors become RFC 9457 problem details. Every answer carries a stable
 * {@code code} and a {@code remedy}; no stack trace, Java type or library message ever reaches a client,
 * and whatever of the caller's input is quoted back is sanitized ({@link ClientText}).
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    private static final int MAX_DETAIL = 300;

    @ExceptionHandler(FleetException.class)
    ResponseEntity<ProblemDetail> fleet(FleetException e, HttpServletRequest request) {
        ProblemDetail problem = Problems.of(e.error(), ClientText.echo(e.getMessage(), MAX_DETAIL), e.properties());
        problem.setInstance(ProblemResponses.instance(request));
        return ResponseEntity.status(e.error().status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        String incident = UUID.randomUUID().toString();
        log.error("unexpected error on {} {} (incident {})", request.getMethod(), request.getRequestURI(), incident, e);
        ProblemDetail problem = Problems.of(CommonErrors.INTERNAL, "Incident " + incident + ".");
        problem.setInstance(ProblemResponses.instance(request));
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(error -> field(error.getField(), error.getDefaultMessage()))
                .toList();
        return invalid(ex, errors, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> field(name(result), error.getDefaultMessage())))
                .toList();
        return invalid(ex, errors, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex.getPropertyName() == null ? "" : ex.getPropertyName();
        return invalid(ex, List.of(field(name, "must be " + expected(ex.getRequiredType()))), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return invalid(ex, List.of(field(ex.getParameterName(), "is required")), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return handleExceptionInternal(ex, Problems.of(CommonErrors.MALFORMED_BODY, JsonReadErrors.describe(ex.getCause())),
                headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String supported = String.join(" or ", ex.getSupportedMediaTypes().stream().map(Object::toString).toList());
        ProblemDetail problem = Problems.of(CommonErrors.UNSUPPORTED_MEDIA_TYPE, supported.isEmpty()
                ? "This request takes no body of that type." : "Send 'Content-Type: " + supported + "'.");
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = Problems.of(CommonErrors.METHOD_NOT_ALLOWED,
                "Method " + ClientText.echo(ex.getMethod(), 20) + " is not supported here.");
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return handleExceptionInternal(ex, Problems.of(CommonErrors.NOT_FOUND, "No resource at this path."),
                headers, status, request);
    }

    /** Gives Spring MVC's other errors our shape; their details name no Java types but may quote input. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail detail && detail.getProperties() != null
                && detail.getProperties().containsKey("code") ? detail : translate(statusCode, body);
        if (request instanceof ServletWebRequest servlet) {
            problem.setInstance(ProblemResponses.instance(servlet.getRequest()));
        }
        // set, not negotiated: an Accept header that names no JSON, or cannot be parsed, must not leave an empty 406
        HttpHeaders answer = new HttpHeaders();
        answer.putAll(headers);
        answer.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return super.handleExceptionInternal(ex, problem, answer, statusCode, request);
    }

    private ResponseEntity<Object> invalid(Exception ex, List<Map<String, Object>> errors, HttpHeaders headers,
            WebRequest request) {
        ProblemDetail problem = Problems.of(CommonErrors.INVALID_REQUEST,
                errors.size() == 1 ? "1 field invalid." : errors.size() + " fields invalid.", Map.of("errors", errors));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static Map<String, Object> field(String name, String message) {
        return Map.of("field", ClientText.echo(name), "message", ClientText.echo(message == null ? "is not valid" : message, 200));
    }

    private static String name(ParameterValidationResult result) {
        String name = result.getMethodParameter().getParameterName();
        return name == null ? "" : name;
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number in range";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        if (type != null && Number.class.isAssignableFrom(type) || type == double.class) {
            return "a number";
        }
        return "of the documented format";
    }

    private static ProblemDetail translate(HttpStatusCode status, Object body) {
        ErrorCode error = CommonErrors.forStatus(status.value());
        if (error == CommonErrors.MALFORMED_HTTP) {
            error = CommonErrors.MALFORMED_BODY; // what Spring MVC refuses with 400 is the request's content
        }
        String detail = body instanceof ProblemDetail original && original.getDetail() != null
                ? ClientText.echo(original.getDetail(), MAX_DETAIL) : error.title() + ".";
        return Problems.of(error, detail);
    }
}
