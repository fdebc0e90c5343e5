package io.fleetstream.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetstream.support.web.app.GuardedApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the container and the framework answer on their own, over a raw socket: every answer is problem
 * details with a code and a request id, 4xx for anything the caller got wrong.
 */
@SpringBootTest(classes = GuardedApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "fleet.kafka.create-topics=false",
        "fleet.oidc.issuer=http://127.0.0.1:9",
        "fleet.oidc.public-paths=/v1/open/**",
        "spring.jackson.deserialization.fail-on-unknown-properties=true",
        "spring.autoconfigure.exclude=io.fleetstream.support.notice.FleetRedisAutoConfiguration"})
class ContainerAnswersTest {

    @LocalServerPort
    int port;

    record Answer(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    Answer raw(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                answer.write(buffer, 0, n);
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : text.substring(split + 4);
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            return new Answer(status, head, body);
        }
    }

    Answer raw(String requestLine, String... headers) throws IOException {
        StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: localhost\r\nConnection: close\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return raw(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    static void assertProblem(Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.head() + "\n" + answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.head()).startsWith("application/problem+json");
        assertThat(answer.header("X-Request-Id")).as(answer.head()).isNotBlank();
        assertThat(answer.body()).contains("\"code\":\"" + code + "\"").doesNotContain("<html", "Exception", "tomcat");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /v1/things/%00 HTTP/1.1", "GET /v1/things/%2f HTTP/1.1", "GET /v1/things/%C3%28 HTTP/1.1",
            "GET /v1/../../x HTTP/1.1", "GET /v1/things/%C0%80 HTTP/1.1", "GET /v1/things/%ED%A0%80 HTTP/1.1",
            "GET /v1//things HTTP/1.1", "GET /v1/%2e%2e/things HTTP/1.1", "GET /v1/things;jsessionid=1 HTTP/1.1",
            "GET /v1/things/%zz HTTP/1.1", "GET /v1/things/x%01 HTTP/1.1"})
    void aBadPath_isAProblem(String requestLine) throws IOException {
        Answer answer = raw(requestLine);
        assertThat(answer.status()).as(requestLine + "\n" + answer.head() + "\n" + answer.body()).isBetween(400, 404);
        assertProblem(answer, answer.status(), answer.body().replaceAll("(?s).*\"code\":\"([^\"]+)\".*", "$1"));
        assertThat(answer.body()).contains("request.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /v1/things|x HTTP/1.1", "GET /v1/{ HTTP/1.1", "GET /v1/things HTTP/9.9",
            "GET /v1/things HTTP/1.x", "G\u0001T /v1/things HTTP/1.1", "GET /v1/th\u0000ings HTTP/1.1"})
    void anUnparseableRequest_isAProblem(String requestLine) throws IOException {
        Answer answer = raw(requestLine);
        assertThat(answer.status()).as(requestLine + "\n" + answer.head() + "\n" + answer.body()).isBetween(400, 499);
        assertThat(answer.header("Content-Type")).as(answer.head() + answer.body()).startsWith("application/problem+json");
        assertThat(answer.header("X-Request-Id")).isNotBlank();
        assertThat(answer.body()).contains("\"code\":\"request.");
    }

    @Test
    void anOversizedHeader_isAProblem() throws IOException {
        assertProblem(raw("GET /v1/things/1 HTTP/1.1", "X-Pad: " + "x".repeat(20_000)), 431, "request.header-too-large");
    }

    @Test
    void connectAndTrace_areNotAllowed() throws IOException {
        Answer connect = raw("CONNECT /v1/things/1 HTTP/1.1");
        assertThat(connect.status()).as(connect.head() + connect.body()).isBetween(400, 499);
        assertThat(connect.header("Content-Type")).startsWith("application/problem+json");
        Answer authority = raw("CONNECT localhost:443 HTTP/1.1");
        assertThat(authority.status()).as(authority.head() + authority.body()).isBetween(400, 499);
        assertThat(authority.header("Content-Type")).startsWith("application/problem+json");
        assertProblem(raw("TRACE /v1/things/1 HTTP/1.1"), 405, "request.method-not-allowed");
        assertProblem(raw("FOO /v1/things/1 HTTP/1.1"), 405, "request.method-not-allowed");
    }

    @Test
    void theErrorPath_isNoResource() throws IOException {
        assertProblem(raw("GET /error HTTP/1.1"), 404, "resource.not-found");
    }

    @Test
    void outsideV1_isAProblem() throws IOException {
        assertProblem(raw("GET /elsewhere HTTP/1.1"), 401, "auth.unauthenticated");
        assertProblem(raw("GET /v1/things/1 HTTP/1.1", "Authorization: Bearer @@@"), 401, "auth.unauthenticated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"q=%00", "q=a%01b", "q=%C3%28", "q=%C0%80", "q=%ED%A0%80", "=x", "q=%F4%8F%BF%BF%zz",
            "%ff=1", "%F3%A0%80%80x=1", "a%00=1", "q=%"})
    void aBadQuery_isInvalid_namingTheParameter(String query) throws IOException {
        Answer answer = raw("GET /v1/things/1?" + query + " HTTP/1.1");
        assertProblem(answer, 400, "request.invalid");
        assertThat(answer.body()).contains("\"errors\":[{").doesNotContain("\u0000", "\u0001");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x10", "%2310", "1%202", "%EF%BC%91", "%2B1", "99999999999", "1.0", "%201"})
    void aWholeNumber_isDecimalDigitsOnly(String limit) throws IOException {
        Answer answer = raw("GET /v1/open/read?limit=" + limit + " HTTP/1.1");
        assertProblem(answer, 400, "request.invalid");
        assertThat(answer.body()).contains("\"field\":\"limit\"").doesNotContain("java.", "Integer", "NumberFormat");
        assertThat(raw("GET /v1/open/read?limit=-12 HTTP/1.1").body()).contains("\"limit\":-12");
    }

    @Test
    void aControlCharacterInAHeader_isAProblem() throws IOException {
        Answer answer = raw(("GET /v1/things/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nFleet-Consistency: a\u0085b\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertProblem(answer, 400, "request.malformed-header");
    }

    @Test
    void jsonInAnotherCharset_isUnsupported() throws IOException {
        String body = "{\"name\":\"x\"}";
        Answer answer = raw(("POST /v1/things HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json; charset=windows-1252\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
        assertProblem(answer, 415, "request.unsupported-media-type");
        assertThat(answer.body().toLowerCase(Locale.ROOT)).contains("utf-8");
    }

    @Test
    void aTokenThatCannotBeChecked_becauseTheIssuerIsAway_isAServiceUnavailableProblem() throws IOException {
        Answer answer = raw(("GET /v1/things/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertProblem(answer, 503, "service.unavailable");
        assertThat(answer.header("Retry-After")).isEqualTo("5");
    }
}
