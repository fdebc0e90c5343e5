package io.fleetstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetstream.infra.Ports;
import io.fleetstream.infra.SharedInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Redis only carries live notices: without it the service still starts and answers reads. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // its Redis never answers: later test classes need none of its subscription retries
class ReadsWithoutRedisIT {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedInfrastructure.get().springProperties().forEach((key, value) -> registry.add(key, () -> value));
        int nobody = Ports.free();
        registry.add("fleet.redis.url", () -> "redis://127.0.0.1:" + nobody);
    }

    @Test
    void readsAreServedWhileRedisIsAway() throws Exception {
        String token = SharedInfrastructure.get().issuer().mintPerson("no-redis", "no-redis@example.com", "Nobody",
                Duration.ofMinutes(5));
        HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/v1/workspaces"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).isEqualTo("[]");
    }
}
