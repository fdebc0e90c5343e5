package io.fleetstream.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetstream.support.web.app.GuardedApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** JSON bodies are taken exactly as sent or refused with a message in the caller's words. */
@SpringBootTest(classes = GuardedApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "fleet.kafka.create-topics=false",
        "fleet.oidc.issuer=http://127.0.0.1:9",
        "fleet.oidc.public-paths=/v1/open/**",
        "spring.jackson.deserialization.fail-on-unknown-properties=true",
        "spring.autoconfigure.exclude=io.fleetstream.support.notice.FleetRedisAutoConfiguration"})
class JsonBodiesTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"name\":\"a\",\"name\":\"b\",\"count\":1}        | Duplicate field 'name'",
            "{\"name\":\"a\",\"count\":1,\"settings\":{\"x\":1,\"x\":2}} | Duplicate field 'settings.x'",
            "{\"name\":\"a\",\"count\":1,\"settings\":{\"\\udc00\":1}} | The body is not valid JSON",
            "{\"name\":\"a\",\"count\":1,\"zz\":1}              | Unknown field 'zz'",
            "{\"name\":[1],\"count\":1}                        | Field 'name' must be a string",
            "{\"name\":1e309,\"count\":1}                      | Field 'name' must be a string",
            "{\"name\":true,\"count\":1}                       | Field 'name' must be a string",
            "{\"name\":12,\"count\":1}                         | Field 'name' must be a string",
            "{\"name\":\"a\",\"count\":\"many\"}               | Field 'count' must be a whole number",
            "{\"name\":\"a\",\"count\":99999999999}            | Field 'count' is a number out of range",
            "{\"name\": ]                                    | The body is not valid JSON at line 1, column 10",
            "{\"name\":\"a\",\"count\":1} {}                   | content after its JSON document",
            "[1]                                            | The body must be an object",
            "{\"name\":\"a\",\"count\":1                       | The body ends before its JSON document does"})
    void aBadBody_isMalformed_inTheCallersWords(String body, String message) throws Exception {
        HttpResponse<String> answer = post("/v1/open/things", body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.body()).contains("\"code\":\"request.malformed\"", message.strip())
                .doesNotContain("Jackson", "FAIL_ON", "java.", "tools.", "`", "Exception", "StreamRead");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"name\":\"a\",\"count\":1,\"settings\":{\"x\":1e309}} | settings.x | Field 'settings.x' is a number out of range",
            "{\"name\":\"\\ud800\",\"count\":1}                | name       | Field 'name' contains an unpaired UTF-16 surrogate",
            "{\"name\":\"a\\u0000\",\"count\":1}               | name       | Field 'name' contains a NUL character",
            "{\"name\":\"a\",\"count\":1,\"settings\":{\"k\\u0000\":1}} | settings | A field name in 'settings' contains a NUL character"})
    void aValueThatCannotBeTakenAsSent_isInvalid_namingTheField(String body, String field, String message) throws Exception {
        HttpResponse<String> answer = post("/v1/open/things", body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(answer.body()).contains("\"code\":\"request.invalid\"", "\"field\":\"" + field.strip() + "\"",
                message.strip());
    }

    @Test
    void invalidUtf8_isRefused_notReplaced() throws Exception {
        for (byte[] bad : new byte[][] {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xC3, '('}}) {
            byte[] body = new byte[bad.length + 22];
            byte[] head = "{\"name\":\"".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(bad, 0, body, head.length, bad.length);
            byte[] tail = "\",\"count\":1}".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);
            byte[] exact = java.util.Arrays.copyOf(body, head.length + bad.length + tail.length);
            HttpResponse<String> answer = post("/v1/open/things", exact);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            assertThat(answer.body()).contains("\"code\":\"request.malformed\"", "not valid UTF-8 (at byte 9)");
        }
    }

    @Test
    void deepNesting_isRefused() throws Exception {
        HttpResponse<String> answer = post("/v1/open/settings", "[".repeat(5000) + "]".repeat(5000));
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("nested too deeply").doesNotContain("StreamReadConstraints");
    }

    @Test
    void aGoodBody_isTakenAsSent() throws Exception {
        HttpResponse<String> answer = post("/v1/open/things",
                "{\"name\":\"caf\u00e9 \ud83d\ude00\",\"count\":2,\"settings\":{\"interval\":5,\"ratio\":0.25,\"text\":\"a\\nb\"}}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("caf\u00e9 \ud83d\ude00", "\"interval\":5", "\"ratio\":0.25");
    }

    @Test
    void anEmptyBody_isMalformed() throws Exception {
        HttpResponse<String> answer = post("/v1/open/things", "");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("\"code\":\"request.malformed\"").doesNotContain("Required request body");
    }

    @Test
    void decimals_areKeptAsWritten_notRoundedToADouble() throws Exception {
        HttpResponse<String> answer = post("/v1/open/settings", "{\"a\":0.10000000000000000000000001,\"b\":1e-400,\"c\":1.10}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("0.10000000000000000000000001", "1E-400", "1.10");
    }
}
