package io.fleetstream.support.web;

import org.springframework.http.HttpStatus;

/** Errors every HTTP service can answer. */
public enum CommonErrors implements ErrorCode {
    INVALID_REQUEST("request.invalid", HttpStatus.BAD_REQUEST, "The request is not valid",
            "Fix the fields named in 'errors' and send it again."),
    MALFORMED_BODY("request.malformed", HttpStatus.BAD_REQUEST, "The request body cannot be read",
            "Send a JSON document matching the API description at /v1/openapi.json."),
    UNSUPPORTED_MEDIA_TYPE("request.unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "Unsupported content type", "Send 'Content-Type: application/json'."),
    METHOD_NOT_ALLOWED("request.method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
            "See /v1/openapi.json for the methods this resource supports."),
    NOT_FOUND("resource.not-found", HttpStatus.NOT_FOUND, "No such resource",
            "Check the path against /v1/openapi.json."),
    UNAUTHENTICATED("auth.unauthenticated", HttpStatus.UNAUTHORIZED, "Authentication required",
            "Send 'Authorization: Bearer <token>' with a valid, unexpired token from the configured issuer."),
    NO_WORKSPACE("auth.no-workspace", HttpStatus.FORBIDDEN, "The token names no workspace",
            "Ask your identity provider for a token that carries the workspace claim."),
    FORBIDDEN("auth.forbidden", HttpStatus.FORBIDDEN, "Your role may not do this",
            "Viewers may only read; ask a workspace owner or admin for the member role."),
    UNAVAILABLE("service.unavailable", HttpStatus.SERVICE_UNAVAILABLE, "A backing service is unavailable",
            "Retry after a moment; the request was not applied."),
    INTERNAL("service.internal", HttpStatus.INTERNAL_SERVER_ERROR, "Unexpected error",
            "Retry; if it persists, report it with the 'instance' value of this response.");

    private final String code;
    private final HttpStatus status;
    private final String title;
    private final String remedy;

    CommonErrors(String code, HttpStatus status, String title, String remedy) {
        this.code = code;
        this.status = status;
        this.title = title;
        this.remedy = remedy;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public HttpStatus status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String remedy() {
        return remedy;
    }
}
