package io.fleetstream.gateway.ratelimit;

import io.fleetstream.support.errors.RateLimitErrors;
import io.fleetstream.support.security.Person;
import io.fleetstream.support.web.ProblemResponses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Counts every authenticated request against its principal's tiers and tells the caller where it stands
 * in the draft IETF RateLimit headers; beyond a tier the answer is {@code 429 rate-limit.exceeded} with
 * Retry-After. It runs in the security chain once authentication is done: requests without credentials are
 * not counted (they are answered 401 anyway), and neither are devices' routes, health, metrics and the API
 * description. A request Redis could not count is served without the headers.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    static final String LIMIT = "RateLimit-Limit";
    static final String REMAINING = "RateLimit-Remaining";
    static final String RESET = "RateLimit-Reset";
    static final String POLICY = "RateLimit-Policy";

    /** Paths (and what is under them) that are never counted: devices have credentials and budgets of their own. */
    private static final List<String> UNCOUNTED = List.of("/v1/device", "/v1/health", "/v1/prometheus",
            "/v1/openapi.json", "/docs", "/swagger-ui");
    private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

    /** Counts one request of a principal; empty when it could not be counted. */
    @FunctionalInterface
    interface Limiter {
        Optional<RateLimitDecision> acquire(String principal);
    }

    private final Limiter limiter;
    private final String policy;
    private final JsonMapper json;
    private final Counter allowed;
    private final Counter limited;
    private final Counter skipped;

    RateLimitFilter(Limiter limiter, RateLimitTiers tiers, JsonMapper json, MeterRegistry meters) {
        this.limiter = limiter;
        this.policy = tiers.policy();
        this.json = json;
        this.allowed = outcome(meters, "allowed");
        this.limited = outcome(meters, "limited");
        this.skipped = outcome(meters, "skipped");
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder("fleet.gateway.rate_limited").tag("outcome", outcome)
                .description("Requests counted against their principal's rate limits, by outcome (skipped: Redis "
                        + "could not count them and they were served)")
                .register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return UNCOUNTED.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String principal = principal(SecurityContextHolder.getContext().getAuthentication());
        Optional<RateLimitDecision> counted = principal == null ? Optional.empty() : limiter.acquire(principal);
        if (counted.isEmpty()) {
            if (principal != null) {
                skipped.increment();
            }
            chain.doFilter(request, response);
            return;
        }
        RateLimitDecision decision = counted.get();
        response.setHeader(LIMIT, Long.toString(decision.tier().limit()));
        response.setHeader(REMAINING, Long.toString(decision.remaining()));
        response.setHeader(RESET, Long.toString(decision.resetSeconds()));
        response.setHeader(POLICY, policy);
        if (decision.allowed()) {
            allowed.increment();
            chain.doFilter(request, response);
            return;
        }
        limited.increment();
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.resetSeconds()));
        ProblemResponses.write(request, response, json, RateLimitErrors.EXCEEDED, "More than "
                + decision.tier().limit() + " requests in " + RateLimitTiers.Tier.format(decision.tier().window())
                + "; retry in " + decision.resetSeconds() + " s.");
    }

    /** Whose quota a request counts against: {@code user:<id>} for a person, the name of any other authentication. */
    static @Nullable String principal(@Nullable Authentication authentication) {
        if (!TRUST.isAuthenticated(authentication)) {
            return null;
        }
        if (authentication instanceof JwtAuthenticationToken token) {
            Jwt jwt = token.getToken();
            String issuer = jwt.getIssuer() == null ? "" : jwt.getIssuer().toString();
            return "user:" + Person.userId(issuer, jwt.getSubject());
        }
        // API keys name themselves key:<id>
        return authentication.getName();
    }
}
