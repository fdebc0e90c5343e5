package io.fleetstream.infra;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A development OpenID Connect issuer: discovery document, JWKS and a token endpoint that mints
 * RS256 access tokens for any workspace and role. It listens on loopback only and exists so that
 * {@code ./fleet up} and the tests need no outside identity provider; production points
 * {@code FLEET_OIDC_ISSUER} at a real one.
 */
public final class DevIssuer implements AutoCloseable {

    public static final String AUDIENCE = "fleetstream";
    public static final Set<String> ROLES = Set.of("owner", "admin", "member", "viewer");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Duration MAX_TTL = Duration.ofDays(1);

    private final HttpServer server;
    private final RSAKey signingKey;
    private final String issuer;

    private DevIssuer(HttpServer server, RSAKey signingKey, String issuer) {
        this.server = server;
        this.signingKey = signingKey;
        this.issuer = issuer;
    }

    /** Starts the issuer; its signing key lives in {@code keyFile} so tokens stay valid across restarts. */
    public static DevIssuer start(Path keyFile, int port) {
        try {
            RSAKey key = loadOrCreateKey(keyFile);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            String issuer = "http://localhost:" + port;
            DevIssuer devIssuer = new DevIssuer(server, key, issuer);
            server.createContext("/.well-known/openid-configuration", devIssuer::discovery);
            server.createContext("/jwks", devIssuer::jwks);
            server.createContext("/token", devIssuer::token);
            server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "dev-issuer");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return devIssuer;
        } catch (IOException e) {
            throw new UncheckedIOException("dev issuer did not start", e);
        }
    }

    private static RSAKey loadOrCreateKey(Path keyFile) throws IOException {
        try {
            if (Files.exists(keyFile)) {
                return RSAKey.parse(Files.readString(keyFile));
            }
            RSAKey key = new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString())
                    .generate();
            Files.createDirectories(keyFile.toAbsolutePath().getParent());
            Files.writeString(keyFile, key.toJSONString());
            return key;
        } catch (ParseException | JOSEException e) {
            throw new IOException("unreadable dev issuer key " + keyFile, e);
        }
    }

    public String issuer() {
        return issuer;
    }

    /** Mints a token directly, for tests. */
    public String mint(String workspace, String role, String user, Duration ttl) {
        if (!NAME.matcher(workspace).matches()) {
            throw new IllegalArgumentException("workspace must match " + NAME.pattern());
        }
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("role must be one of " + ROLES);
        }
        if (!NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("user must match " + NAME.pattern());
        }
        return sign(claims(user, ttl).claim("workspace", workspace).claim("role", role).build());
    }

    /**
     * Mints a person's token, as a real identity provider would: who they are (subject, a verified e-mail
     * address and a name), no workspace or role: what they may do is Fleetstream's own state.
     */
    public String mintPerson(String user, String email, String name, Duration ttl) {
        if (!NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("user must match " + NAME.pattern());
        }
        if (!email.matches("[^@\\s]{1,64}@[^@\\s]{1,190}") || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("email must be an address and name 1 to 200 characters");
        }
        return sign(claims(user, ttl).claim("email", email).claim("email_verified", true).claim("name", name).build());
    }

    /** The claims every token of this issuer has: who, for whom, and for how long (checked). */
    private JWTClaimsSet.Builder claims(String user, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("ttl must be between 1 s and " + MAX_TTL.toSeconds() + " s");
        }
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(user)
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString());
    }

    /**
     * Signs exactly these claims, unchecked, for tests of what the services refuse (no {@code exp}, an
     * over-long workspace …). Claims named {@code exp}, {@code iat} and {@code nbf} are epoch seconds.
     */
    public String mintUnchecked(Map<String, Object> claims) {
        try {
            return sign(JWTClaimsSet.parse(claims));
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a claims set: " + e.getMessage(), e);
        }
    }

    private String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .keyID(signingKey.getKeyID())
                    .type(JOSEObjectType.JWT)
                    .build(), claims);
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign token", e);
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("jwks_uri", issuer + "/jwks");
        document.put("token_endpoint", issuer + "/token");
        document.put("response_types_supported", List.of("token"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        respond(exchange, 200, com.nimbusds.jose.util.JSONObjectUtils.toJSONString(document));
    }

    private void jwks(HttpExchange exchange) throws IOException {
        respond(exchange, 200, new JWKSet(signingKey.toPublicJWK()).toString());
    }

    /**
     * {@code POST /token} with form or query parameters {@code user}, {@code email}, {@code name} and {@code ttl}
     * (seconds): a person's token; with {@code workspace} and {@code role} as well, a token that carries them
     * (the first version's tokens, for scripts).
     */
    private void token(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "{\"error\":\"invalid_request\",\"error_description\":\"use POST\"}");
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        parseForm(exchange.getRequestURI().getRawQuery(), params);
        parseForm(new String(exchange.getRequestBody().readNBytes(8192), StandardCharsets.UTF_8), params);
        try {
            long ttl = Long.parseLong(params.getOrDefault("ttl", "3600"));
            String user = params.getOrDefault("user", "dev-user");
            String token = params.containsKey("workspace")
                    ? mint(params.get("workspace"), params.getOrDefault("role", "owner"), user, Duration.ofSeconds(ttl))
                    : mintPerson(user, params.getOrDefault("email", user + "@example.test"),
                            params.getOrDefault("name", user), Duration.ofSeconds(ttl));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("access_token", token);
            body.put("token_type", "Bearer");
            body.put("expires_in", ttl);
            respond(exchange, 200, com.nimbusds.jose.util.JSONObjectUtils.toJSONString(body));
        } catch (IllegalArgumentException e) {
            Map<String, Object> body = Map.of("error", "invalid_request", "error_description", String.valueOf(e.getMessage()));
            respond(exchange, 400, com.nimbusds.jose.util.JSONObjectUtils.toJSONString(body));
        }
    }

    private static void parseForm(String raw, Map<String, String> into) {
        if (raw == null || raw.isBlank()) {
            return;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                into.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
