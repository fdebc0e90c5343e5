package io.fleetstream.support.web;

import org.springframework.http.HttpStatus;

/** Errors every HTTP service can answer. */
public final class CommonErrors {

    public static final ErrorCode INVALID_REQUEST = ErrorCode.of("request.invalid", HttpStatus.BAD_REQUEST,
            "The request is not valid",
            "Fix the fields named in 'errors' and send it again.");

    public static final ErrorCode MALFORMED_BODY = ErrorCode.of("request.malformed", HttpStatus.BAD_REQUEST,
            "The request body cannot be read",
            "Send a JSON document matching the API description at /v1/openapi.json.");

    public static final ErrorCode MALFORMED_URI = ErrorCode.of("request.malformed-uri", HttpStatus.BAD_REQUEST,
            "The request's path or query cannot be read",
            "Percent-encode reserved characters in the path and query (a literal '%' is '%25').");

    public static final ErrorCode MALFORMED_HTTP = ErrorCode.of("request.malformed-http", HttpStatus.BAD_REQUEST,
            "The request is not valid HTTP",
            "Send a well-formed HTTP/1.1 request line and headers (RFC 9112).");

    public static final ErrorCode MALFORMED_HEADER = ErrorCode.of("request.malformed-header", HttpStatus.BAD_REQUEST,
            "A request header cannot be read",
            "Send header values of printable characters only; the header is named in 'detail'.");

    public static final ErrorCode HEADER_TOO_LARGE = ErrorCode.of("request.header-too-large",
            HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
            "The request line or headers are too large",
            "Send a shorter request line and fewer or shorter headers (8 KiB in all).");

    public static final ErrorCode TOO_LARGE = ErrorCode.of("request.too-large", HttpStatus.CONTENT_TOO_LARGE,
            "The request body is too large",
            "Send a smaller body; see the limit in 'detail'.");

    public static final ErrorCode UNSUPPORTED_MEDIA_TYPE = ErrorCode.of("request.unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "Unsupported content type",
            "Send 'Content-Type: application/json'.");

    public static final ErrorCode METHOD_NOT_ALLOWED = ErrorCode.of("request.method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED,
            "Method not allowed",
            "See /v1/openapi.json for the methods this resource supports.");

    public static final ErrorCode NOT_ACCEPTABLE = ErrorCode.of("request.not-acceptable", HttpStatus.NOT_ACCEPTABLE,
            "No acceptable representation",
            "Send 'Accept: application/json' (or omit Accept).");

    public static final ErrorCode NOT_FOUND = ErrorCode.of("resource.not-found", HttpStatus.NOT_FOUND,
            "No such resource",
            "Check the path against /v1/openapi.json.");

    public static final ErrorCode UNAUTHENTICATED = ErrorCode.of("auth.unauthenticated", HttpStatus.UNAUTHORIZED,
            "Authentication required",
            "Send 'Authorization: Bearer <token>' with a valid, unexpired token from the configured issuer.");

    public static final ErrorCode SCOPE_MISSING = ErrorCode.of("auth.scope-missing", HttpStatus.FORBIDDEN,
            "The API key lacks the scope this needs",
            "Create a key with the scope named in the detail (write implies read) or use a person's token.");

    public static final ErrorCode FORBIDDEN = ErrorCode.of("auth.forbidden", HttpStatus.FORBIDDEN,
            "Your role may not do this",
            "Viewers may only read, members write devices, owners and admins manage the workspace; ask an owner "
                    + "or admin of the workspace for the role the detail names.");

    public static final ErrorCode UNAVAILABLE = ErrorCode.of("service.unavailable", HttpStatus.SERVICE_UNAVAILABLE,
            "A backing service is unavailable",
            "Retry after a moment; the request was not applied.");

    public static final ErrorCode INTERNAL = ErrorCode.of("service.internal", HttpStatus.INTERNAL_SERVER_ERROR,
            "Unexpected error",
            "Retry; if it persists, report it with the 'instance' value of this response.");

    /** The entry for a status the container or the framework answered with on its own, if there is one. */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_HTTP;
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 431 -> HEADER_TOO_LARGE;
            case 503 -> UNAVAILABLE;
            default -> {
                HttpStatus known = HttpStatus.resolve(status);
                if (status >= 500) {
                    yield INTERNAL;
                }
                yield known == null || status < 400 ? MALFORMED_HTTP : ErrorCode.of("request.rejected", known,
                        known.getReasonPhrase(), "See 'detail' and /v1/openapi.json.");
            }
        };
    }

    private CommonErrors() {
    }
}
