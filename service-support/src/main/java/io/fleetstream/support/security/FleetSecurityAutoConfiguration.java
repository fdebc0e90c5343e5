package io.fleetstream.support.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fleetstream.support.web.ClientText;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.ProblemResponses;
import io.fleetstream.support.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Objects;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import io.fleetstream.support.web.StrictDecoding;
import java.util.Base64;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bearer-JWT resource server for the HTTP services: tokens from {@code fleet.oidc.issuer}, which must
 * expire; the role claim becomes {@code ROLE_*} authorities; reads need any workspace role, writes
 * owner/admin/member; 401, 403 and the firewall's refusals answer problem details like every other error.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(JwtDecoder.class)
@EnableConfigurationProperties(FleetSecurityProperties.class)
public class FleetSecurityAutoConfiguration {

    static final String REJECTED_PATH = "The path is not in normal form: no '//', '/./' or '/../', no encoded "
            + "'/', '.', '%' or '\\', no ';' parameters, printable ASCII only.";
    /** What the firewall lets through (StrictHttpFirewall's default); anything else is refused as a method. */
    private static final List<String> KNOWN_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    @Bean
    @ConditionalOnMissingBean
    JwtDecoder jwtDecoder(FleetSecurityProperties properties) {
        // Lazy: the issuer is asked for its keys on the first request, so services start in any order.
        JwtDecoder lazy = new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(properties.issuer()).build();
            List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
            validators.add(JwtValidators.createDefaultWithIssuer(properties.issuer()));
            // the default checks 'exp' only when present: a token without one would never expire
            validators.add(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull));
            validators.add(FleetSecurityAutoConfiguration::claimsAreUtf8);
            if (!properties.audience().isBlank()) {
                validators.add(new JwtClaimValidator<List<String>>("aud",
                        aud -> aud != null && aud.contains(properties.audience())));
            }
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
            return decoder;
        });
        // A token checked once is remembered until it expires (at most 5 minutes): checking its signature again
        // for every request of a client (and turning the issuer's key into an RSA key each time, as the library
        // does) costs more than the rest of a write. Only tokens that passed every check are remembered, and a
        // remembered one is refused once its expiry passes.
        Cache<String, Jwt> checked = Caffeine.newBuilder().maximumSize(10_000)
                .expireAfterWrite(java.time.Duration.ofMinutes(5)).build();
        // an issuer that cannot be reached yet is a failure of the platform, answered 503 (see tokenFailures),
        // not an error of the request; the next request asks the issuer again
        return token -> {
            Jwt known = checked.getIfPresent(token);
            if (known != null && known.getExpiresAt() != null && known.getExpiresAt().isAfter(Instant.now())) {
                return known;
            }
            try {
                Jwt jwt = lazy.decode(token);
                checked.put(token, jwt);
                return jwt;
            } catch (JwtDecoderInitializationException e) {
                throw new JwtException("the issuer cannot be reached", e);
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    SecurityFilterChain fleetSecurityFilterChain(HttpSecurity http, FleetSecurityProperties properties,
            JwtDecoder decoder, ObjectProvider<ApiKeyVerifier> keys, JsonMapper json) throws Exception {
        AuthenticationEntryPoint entryPoint = problemEntryPoint(json);
        AccessDeniedHandler denied = (request, response, e) -> ProblemResponses.write(request, response, json,
                CommonErrors.FORBIDDEN, "You may not " + ClientText.echo(request.getMethod(), 20) + " here.");
        // a person's token goes to the identity provider's keys, an API key to the keys of the read model
        AuthenticationManager jwts = new ProviderManager(new JwtAuthenticationProvider(decoder));
        AuthenticationManager apiKeys = authentication -> {
            String secret = ((BearerTokenAuthenticationToken) authentication).getToken();
            ApiKeyVerifier verifier = keys.getIfAvailable();
            ApiKey key;
            try {
                key = verifier == null ? null : verifier.verify(secret).orElse(null);
            } catch (RuntimeException e) {
                // the keys cannot be read (the database is away): the platform's trouble, answered 503
                throw new AuthenticationServiceException("API keys cannot be checked now", e);
            }
            if (key == null) {
                throw new InvalidBearerTokenException("The API key is unknown, revoked or expired.");
            }
            return new ApiKeyAuthentication(key);
        };
        DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
        AuthenticationManagerResolver<HttpServletRequest> managers = request -> {
            String token;
            try {
                token = bearer.resolve(request);
            } catch (OAuth2AuthenticationException e) {
                token = null;
            }
            return token != null && ApiKeySecrets.isKey(token) ? apiKeys : jwts;
        };
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(properties.publicPaths().toArray(String[]::new)).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                        // what a caller may do is Fleetstream's own state (memberships, key scopes), checked per
                        // route against the workspace it names (support.access), never a claim of the token
                        .anyRequest().authenticated())
                .oauth2ResourceServer(oauth -> oauth
                        .authenticationManagerResolver(managers)
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(denied)
                        .withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                            @Override
                            public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                                filter.setAuthenticationFailureHandler(tokenFailures(entryPoint, json));
                                return filter;
                            }
                        }))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied));
        return http.build();
    }

    @Bean
    WebMvcConfigurer callerArguments(FleetSecurityProperties properties) {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new PrincipalArgumentResolver(properties));
            }
        };
    }

    /**
     * Firewall refusals (a path with {@code //}, an encoded '/', '.', '%' or '\\', a {@code ;} parameter, a
     * method it does not know) answered as problems rather than rethrown into a 500.
     */
    @Bean
    @ConditionalOnMissingBean
    RequestRejectedHandler problemRequestRejectedHandler(JsonMapper json) {
        return (request, response, e) -> {
            if (!KNOWN_METHODS.contains(request.getMethod())) {
                response.setHeader(HttpHeaders.ALLOW, String.join(", ", KNOWN_METHODS));
                ProblemResponses.write(request, response, json, CommonErrors.METHOD_NOT_ALLOWED,
                        "Method " + ClientText.echo(request.getMethod(), 20) + " is not supported.");
                return;
            }
            ProblemResponses.write(request, response, json, CommonErrors.MALFORMED_URI, REJECTED_PATH);
        };
    }

    /** What the firewall refuses when it is asked for a header or parameter (after the filters' own checks). */
    @Bean
    RejectedRequestAdvice rejectedRequestAdvice() {
        return new RejectedRequestAdvice();
    }

    @RestControllerAdvice
    @Order(Ordered.HIGHEST_PRECEDENCE)
    static class RejectedRequestAdvice {
        @ExceptionHandler(RequestRejectedException.class)
        ResponseEntity<ProblemDetail> rejected(RequestRejectedException e, HttpServletRequest request) {
            ProblemDetail problem = Problems.of(CommonErrors.INVALID_REQUEST,
                    "A header, parameter or the path contains characters that are not allowed.");
            problem.setInstance(ProblemResponses.instance(request));
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
    }

    /**
     * The token library decodes the claims with replacement characters: a subject of invalid UTF-8 would
     * reach commands and events rewritten. Its claims are refused instead.
     */
    static OAuth2TokenValidatorResult claimsAreUtf8(Jwt jwt) {
        String[] parts = jwt.getTokenValue().split("\\.");
        try {
            if (parts.length >= 2 && StrictDecoding.firstInvalidUtf8(Base64.getUrlDecoder().decode(parts[1])) < 0) {
                return OAuth2TokenValidatorResult.success();
            }
        } catch (IllegalArgumentException e) {
            // not base64url: refused below
        }
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                "The token's claims are not valid UTF-8.", null));
    }

    /**
     * A token that cannot be checked because the issuer (its keys) cannot be reached is the platform's
     * trouble, not the caller's: 503 with Retry-After, not a 500 (the library rethrows it) nor a 401.
     */
    private static AuthenticationFailureHandler tokenFailures(AuthenticationEntryPoint entryPoint, JsonMapper json) {
        return (request, response, e) -> {
            if (e instanceof AuthenticationServiceException) {
                response.setHeader(HttpHeaders.RETRY_AFTER, "5");
                ProblemResponses.write(request, response, json, CommonErrors.UNAVAILABLE,
                        "Tokens cannot be checked now: the identity provider does not answer.");
                return;
            }
            entryPoint.commence(request, response, e);
        };
    }

    private static AuthenticationEntryPoint problemEntryPoint(JsonMapper json) {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        return (request, response, e) -> {
            bearer.commence(request, response, e); // keeps the WWW-Authenticate header
            ProblemResponses.write(request, response, json, CommonErrors.UNAUTHENTICATED, unauthenticated(e));
        };
    }

    /** Why a token was refused, in a caller's words; the library's messages name parsers and JOSE internals. */
    static String unauthenticated(AuthenticationException e) {
        String message = String.valueOf(e.getMessage());
        if (!(e instanceof OAuth2AuthenticationException)) {
            return "No bearer token.";
        }
        if (message.contains("not valid UTF-8")) {
            return "The token's claims are not valid UTF-8.";
        }
        if (message.contains("expired")) {
            return "The token has expired.";
        }
        if (message.contains("exp claim")) {
            return "The token has no expiry ('exp'); tokens must expire.";
        }
        if (message.contains("aud claim") || message.contains("iss claim") || message.contains("nbf")
                || message.contains("not valid") || message.contains("used before")) {
            return "The token is not valid here (issuer, audience or validity time).";
        }
        return "The bearer token is malformed or not signed by the configured issuer.";
    }
}
