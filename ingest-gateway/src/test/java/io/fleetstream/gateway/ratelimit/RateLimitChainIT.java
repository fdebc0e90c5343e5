package io.fleetstream.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetstream.infra.Ports;
import io.fleetstream.infra.SharedInfrastructure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The filter in the gateway's security chain: it sees who authenticated, and only them. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RateLimitChainIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedInfrastructure.get().springProperties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("fleet.gateway.rate-limits", () -> "3/1m");
        registry.add("fleet.gateway.mqtt.enabled", () -> "false");
        registry.add("fleet.gateway.query-url", () -> "http://127.0.0.1:" + Ports.free());
    }

    @Test
    void aPersonsFourthRequestInAMinute_isAnswered429_whileHealthAndCallersWithoutTokenAreNotCounted() throws Exception {
        String user = "rl-" + UUID.randomUUID().toString().substring(0, 8);
        String token = SharedInfrastructure.get().issuer().mint("rl-" + user, "viewer", user, Duration.ofMinutes(5));

        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> counted = get("/v1/devices", token);
            assertThat(counted.headers().firstValue("RateLimit-Limit")).hasValue("3");
            assertThat(counted.headers().firstValue("RateLimit-Remaining")).hasValue(Integer.toString(3 - i));
            assertThat(counted.headers().firstValue("RateLimit-Reset").map(Long::parseLong)).hasValueSatisfying(
                    reset -> assertThat(reset).isBetween(1L, 60L));
            assertThat(counted.headers().firstValue("RateLimit-Policy")).hasValue("3;w=60");
        }
        HttpResponse<String> refused = get("/v1/devices", token);
        HttpResponse<String> health = get("/v1/health", token);
        HttpResponse<String> anonymous = get("/v1/devices", null);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
                after -> assertThat(after).isBetween(1L, 60L));
        assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(refused.body()).contains("\"code\":\"rate-limit.exceeded\"");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("RateLimit-Limit")).isEmpty();
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("RateLimit-Limit")).isEmpty();
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
