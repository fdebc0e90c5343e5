package io.fleetstream.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetstream.support.security.Person;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RateLimitFilterTest {

    private static final JsonMapper JSON = JsonMapper.builder().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();

    private final RateLimitTiers tiers = RateLimitTiers.parse("10/1s,50/10s,200/1m");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> counted = new ArrayList<>();
    private Optional<RateLimitDecision> answer = Optional.empty();
    private final RateLimitFilter filter = new RateLimitFilter(principal -> {
        counted.add(principal);
        return answer;
    }, tiers, JSON, meters);

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void anAllowedRequest_passes_withTheHeadersOfTheTierClosestToExhaustion() throws Exception {
        signIn(person("http://issuer.example", "ana"));
        answer = Optional.of(new RateLimitDecision(true, tiers.tiers().get(1), 7, 4));

        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(new MockHttpServletRequest("GET", "/v1/devices"), response, chain);

        assertThat(chain.getRequest()).as("passed on").isNotNull();
        assertThat(counted).containsExactly("user:" + Person.userId("http://issuer.example", "ana"));
        assertThat(response.getHeader("RateLimit-Limit")).isEqualTo("50");
        assertThat(response.getHeader("RateLimit-Remaining")).isEqualTo("7");
        assertThat(response.getHeader("RateLimit-Reset")).isEqualTo("4");
        assertThat(response.getHeader("RateLimit-Policy")).isEqualTo("10;w=1, 50;w=10, 200;w=60");
        assertThat(response.getHeader("Retry-After")).isNull();
        assertThat(outcome("allowed")).isEqualTo(1);
    }

    @Test
    void aRequestBeyondATier_isAnswered429WithRetryAfterAndAProblem_andGoesNoFurther() throws Exception {
        signIn(person("http://issuer.example", "ana"));
        answer = Optional.of(new RateLimitDecision(false, tiers.tiers().get(0), 0, 1));

        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(new MockHttpServletRequest("POST", "/v1/devices"), response, chain);

        assertThat(chain.getRequest()).as("passed on").isNull();
        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
        assertThat(response.getHeader("RateLimit-Limit")).isEqualTo("10");
        assertThat(response.getHeader("RateLimit-Remaining")).isEqualTo("0");
        assertThat(response.getHeader("RateLimit-Reset")).isEqualTo("1");
        JsonNode problem = JSON.readTree(response.getContentAsString());
        assertThat(problem.get("code").asString()).isEqualTo("rate-limit.exceeded");
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("detail").asString()).isEqualTo("More than 10 requests in 1s; retry in 1 s.");
        assertThat(problem.get("remedy").asString()).contains("Retry-After");
        assertThat(problem.get("instance").asString()).isEqualTo("/v1/devices");
        assertThat(outcome("limited")).isEqualTo(1);
    }

    @Test
    void anApiKey_isCountedUnderItsName() throws Exception {
        signIn(UsernamePasswordAuthenticationToken.authenticated("key:3f2a", null, List.of()));
        answer = Optional.of(new RateLimitDecision(true, tiers.tiers().get(0), 9, 1));

        filter.doFilter(new MockHttpServletRequest("GET", "/v1/devices"), new MockHttpServletResponse(), new MockFilterChain());

        assertThat(counted).containsExactly("key:3f2a");
    }

    @Test
    void aRequestWithoutCredentials_isNotCounted() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(new MockHttpServletRequest("GET", "/v1/devices"), response, chain);
        signIn(new AnonymousAuthenticationToken("anonymous", "anonymousUser",
                AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
        filter.doFilter(new MockHttpServletRequest("GET", "/v1/devices"), new MockHttpServletResponse(), new MockFilterChain());

        assertThat(counted).isEmpty();
        assertThat(chain.getRequest()).as("passed on, to be answered 401").isNotNull();
        assertThat(response.getHeader("RateLimit-Limit")).isNull();
        assertThat(meters.find("fleet.gateway.rate_limited").counters()).allSatisfy(c -> assertThat(c.count()).isZero());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/device/telemetry", "/v1/device", "/v1/device/heartbeat", "/v1/health",
            "/v1/health/readiness", "/v1/prometheus", "/v1/openapi.json", "/docs", "/docs/index.html",
            "/swagger-ui/index.html"})
    void devicesHealthMetricsAndTheApiDescription_areNotCounted(String path) throws Exception {
        signIn(person("http://issuer.example", "ana"));
        answer = Optional.of(new RateLimitDecision(false, tiers.tiers().get(0), 0, 1));

        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(new MockHttpServletRequest("POST", path), new MockHttpServletResponse(), chain);

        assertThat(counted).isEmpty();
        assertThat(chain.getRequest()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/devices", "/v1/devices/d-1", "/v1/healthy", "/v1/stream", "/v1/workspaces"})
    void everyOtherRoute_isCounted(String path) throws Exception {
        signIn(person("http://issuer.example", "ana"));
        answer = Optional.of(new RateLimitDecision(true, tiers.tiers().get(0), 9, 1));

        filter.doFilter(new MockHttpServletRequest("GET", path), new MockHttpServletResponse(), new MockFilterChain());

        assertThat(counted).hasSize(1);
    }

    @Test
    void aRequestRedisCouldNotCount_isServedWithoutHeaders() throws Exception {
        signIn(person("", "ana"));
        answer = Optional.empty();

        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(new MockHttpServletRequest("GET", "/v1/devices"), response, chain);

        assertThat(chain.getRequest()).isNotNull();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaderNames()).noneMatch(name -> name.startsWith("RateLimit"));
        assertThat(outcome("skipped")).isEqualTo(1);
    }

    @Test
    void aTokenWithoutIssuer_countsForTheEmptyIssuer() {
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "RS256").subject("ana").issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(60)).build();

        assertThat(RateLimitFilter.principal(new JwtAuthenticationToken(jwt, List.of())))
                .isEqualTo("user:" + Person.userId("", "ana"));
    }

    private static Authentication person(String issuer, String subject) {
        Jwt.Builder jwt = Jwt.withTokenValue("header.claims.signature").header("alg", "RS256").subject(subject)
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60));
        if (!issuer.isEmpty()) {
            jwt.issuer(issuer);
        }
        return new JwtAuthenticationToken(jwt.build(), List.of());
    }

    private static void signIn(Authentication authentication) {
        SecurityContextHolder.getContext().setAuthentication(authentication);
    }

    private double outcome(String outcome) {
        return meters.get("fleet.gateway.rate_limited").tag("outcome", outcome).counter().count();
    }
}
