package io.fleetstream.support.web;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.res.StringManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * The container's own answers in our shape: Tomcat refuses some requests before any filter or servlet sees
 * them (an unparseable request line, an illegal character or NUL in the path, an encoded '/', an oversized
 * header, an unsupported HTTP version) and would answer them with its HTML error page. This valve takes
 * the place of Tomcat's {@link ErrorReportValve} on the host and answers problem details instead, with a
 * request id like every other answer.
 */
public class ProblemReportValve extends ErrorReportValve {

    private static final Logger log = LoggerFactory.getLogger(ProblemReportValve.class);
    // Tomcat's own messages, as it words them in this locale: how a parse error says what it was
    private static final String HEADER_TOO_LARGE = StringManager.getManager("org.apache.coyote.http11")
            .getString("iib.requestheadertoolarge.error");
    private static final String INVALID_HEADER = prefix(StringManager.getManager("org.apache.tomcat.util.http.parser")
            .getString("httpHeaderParser.invalidHeader"));

    private static final java.util.Set<String> STANDARD_METHODS =
            java.util.Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final JsonMapper json;

    public ProblemReportValve(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ErrorCode error = classify(status, request, throwable);
        String detail = detail(error, request, throwable);
        if (error == CommonErrors.INTERNAL) {
            String incident = UUID.randomUUID().toString();
            log.error("unexpected error on {} {} (incident {})", request.getMethod(), request.getRequestURI(), incident,
                    throwable);
            detail = "Incident " + incident + ".";
        }
        ProblemDetail problem = Problems.of(error, detail);
        problem.setInstance(ProblemResponses.instance(request));
        try {
            ProblemResponses.ensureRequestId(request, response);
            response.setStatus(error.status().value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            byte[] body = json.writeValueAsBytes(problem);
            response.setContentLength(body.length);
            OutputStream out = response.getOutputStream();
            out.write(body);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            log.debug("could not write the container's problem answer", e);
        }
    }

    private static ErrorCode classify(int status, Request request, Throwable throwable) {
        String message = throwable == null ? null : throwable.getMessage();
        if (HEADER_TOO_LARGE.equals(message)) {
            return CommonErrors.HEADER_TOO_LARGE;
        }
        if (message != null && !INVALID_HEADER.isEmpty() && message.startsWith(INVALID_HEADER)) {
            return CommonErrors.MALFORMED_HEADER;
        }
        if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED.value()) {
            // the request is at fault, not the server: a client that sends HTTP/2.0 or HTTP/9.9 as text
            return CommonErrors.MALFORMED_HTTP;
        }
        if (status == HttpStatus.NOT_IMPLEMENTED.value()) {
            // a method (CONNECT) or transfer coding the container does not implement: the caller's choice, not a fault here
            return STANDARD_METHODS.contains(request.getMethod()) ? CommonErrors.MALFORMED_HTTP : CommonErrors.METHOD_NOT_ALLOWED;
        }
        if (status == 400 && throwable == null) {
            // Tomcat refuses the path or query itself (NUL, an encoded '/', '..' above the root, bad escapes)
            return CommonErrors.MALFORMED_URI;
        }
        return CommonErrors.forStatus(status);
    }

    private static String prefix(String template) {
        int argument = template.indexOf('{');
        return argument < 0 ? template : template.substring(0, argument);
    }

    private static String detail(ErrorCode error, Request request, Throwable throwable) {
        if (error == CommonErrors.MALFORMED_HEADER) {
            return "A header line is not valid HTTP/1.1: a control character, a space before the colon, or no colon.";
        }
        if (error == CommonErrors.HEADER_TOO_LARGE) {
            return "The request line and headers may hold at most the server's limit (8 KiB by default).";
        }
        if (error == CommonErrors.MALFORMED_URI) {
            // Tomcat refuses a bad Host or Content-Length the same way, without saying which it was
            return "The path is not valid (a NUL, an encoded '/' or '\\', a '..' above the root, an escape that is "
                    + "not UTF-8), or the Host or Content-Length header is not.";
        }
        if (error == CommonErrors.MALFORMED_HTTP) {
            return throwable != null && throwable.getMessage() != null && throwable.getMessage().contains("request target")
                    ? "The request target contains a character that must be percent-encoded."
                    : "The request line or a header cannot be parsed; send HTTP/1.1.";
        }
        if (error == CommonErrors.METHOD_NOT_ALLOWED) {
            return "Method " + ClientText.echo(request.getMethod(), 20) + " is not supported.";
        }
        return error.title() + ".";
    }
}
