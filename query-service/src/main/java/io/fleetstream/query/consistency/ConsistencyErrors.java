package io.fleetstream.query.consistency;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

enum ConsistencyErrors implements ErrorCode {
    INVALID("consistency.invalid", HttpStatus.BAD_REQUEST, "Unreadable Fleet-Consistency header",
            "Send back exactly the Fleet-Consistency value a write answered with, or omit the header."),
    TIMEOUT("consistency.timeout", HttpStatus.SERVICE_UNAVAILABLE, "The read model has not caught up yet",
            "Retry in a moment with the same header.");

    private final String code;
    private final HttpStatus status;
    private final String title;
    private final String remedy;

    ConsistencyErrors(String code, HttpStatus status, String title, String remedy) {
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
