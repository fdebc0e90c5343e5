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

    public static final ErrorCode TOO_LARGE = ErrorCode.of("request.too-large", HttpStatus.CONTENT_TOO_LARGE,
            "The request body is too large",
            "Send a smaller body; see the limit in 'detail'.");

    public static final ErrorCode UNSUPPORTED_MEDIA_TYPE = ErrorCode.of("request.unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "Unsupported content type",
            "Send 'Content-Type: application/json'.");

    public static final ErrorCode METHOD_NOT_ALLOWED = ErrorCode.of("request.method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED,
            "Method not allowed",
            "See /v1/openapi.json for the methods this resource supports.");

    public static final ErrorCode NOT_FOUND = ErrorCode.of("resource.not-found", HttpStatus.NOT_FOUND,
            "No such resource",
            "Check the path against /v1/openapi.json.");

    public static final ErrorCode UNAUTHENTICATED = ErrorCode.of("auth.unauthenticated", HttpStatus.UNAUTHORIZED,
            "Authentication required",
            "Send 'Authorization: Bearer <token>' with a valid, unexpired token from the configured issuer.");

    public static final ErrorCode NO_WORKSPACE = ErrorCode.of("auth.no-workspace", HttpStatus.FORBIDDEN,
            "The token names no workspace",
            "Ask your identity provider for a token that carries the workspace claim.");

    public static final ErrorCode FORBIDDEN = ErrorCode.of("auth.forbidden", HttpStatus.FORBIDDEN,
            "Your role may not do this",
            "Viewers may only read; ask a workspace owner or admin for the member role.");

    public static final ErrorCode UNAVAILABLE = ErrorCode.of("service.unavailable", HttpStatus.SERVICE_UNAVAILABLE,
            "A backing service is unavailable",
            "Retry after a moment; the request was not applied.");

    public static final ErrorCode INTERNAL = ErrorCode.of("service.internal", HttpStatus.INTERNAL_SERVER_ERROR,
            "Unexpected error",
            "Retry; if it persists, report it with the 'instance' value of this response.");

    private CommonErrors() {
    }
}
