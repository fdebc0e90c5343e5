package io.fleetstream.support.errors;

import io.fleetstream.support.web.ErrorCode;
import org.springframework.http.HttpStatus;

/** Errors of the per-principal request quotas the gateway keeps ({@code FLEET_RATE_LIMITS}). */
public final class RateLimitErrors {

    public static final ErrorCode EXCEEDED = ErrorCode.of("rate-limit.exceeded", HttpStatus.TOO_MANY_REQUESTS,
            "Too many requests",
            "Wait the seconds Retry-After names, then send again; spread requests out so that RateLimit-Remaining "
                    + "stays above zero. The request was not applied.");

    private RateLimitErrors() {
    }
}
