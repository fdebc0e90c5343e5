package io.fleetstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetstream.e2e.ApiRoutes.Param;
import io.fleetstream.e2e.ApiRoutes.Route;
import io.fleetstream.e2e.RawHttp.Answer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generated malformed and boundary input to every route, parameter, header and body field the gateway's
 * API description names, and broken HTTP to every service's port. The contract it checks: whatever is sent,
 * the answer is never a 5xx; a refusal is {@code application/problem+json} with a {@code code}; every answer
 * has a sensible {@code X-Request-Id}; malformed input is refused (4xx), never rewritten and stored; and after
 * each batch a valid write is still answered and readable.
 *
 * <p>Routes come from {@code /v1/openapi.json}, so a new route, parameter or body field is covered without
 * being listed here. Each property is one batch; the number of cases per surface is printed at the end and
 * written to {@code target/e2e-logs/malformed-input-cases.txt}.
 */
class MalformedInputE2E {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern SENSIBLE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern PROBLEM_CODE = Pattern.compile("\"code\":\"[a-z]+\\.[a-z-]+\"");
    /** Words that only an internal error message would contain. */
    private static final List<String> INTERNALS = List.of("Exception", "jackson", "java.", "FAIL_ON_", "springframework",
            "<html", "StreamRead", "Tomcat", "constraints.");
    private static final Map<String, AtomicInteger> CASES = new TreeMap<>();
    /** Per surface, how often each answer (status and code) came: shows what the cases reached. */
    private static final Map<String, Map<String, Integer>> ANSWERS = new TreeMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static Platform platform;
    private static List<Route> routes;
    private static final String WORKSPACE = "fuzz-" + UUID.randomUUID();
    private static String member;
    private static String deviceId;
    private static String deviceToken;
    private static long startedNanos;

    // ---------------------------------------------------------------- lifecycle

    @BeforeContainer
    static void describeTheApi() {
        platform = Platform.get();
        startedNanos = System.nanoTime();
        member = platform.member(WORKSPACE, "member");
        String api = await("the gateway describes reads and writes").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> HTTP.send(HttpRequest.newBuilder(URI.create(platform.gateway() + "/v1/openapi.json"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body(),
                        body -> body.contains("/v1/workspaces/{workspace}/devices/{id}/telemetry") && body.contains("\"post\""));
        // leaving takes no input to break, and a well-formed case of it would end the suite's own membership
        routes = ApiRoutes.from(api).stream()
                .filter(route -> !route.toString().equals("POST /v1/workspaces/{workspace}/leave")).toList();
        assertThat(routes).extracting(Route::toString).contains("POST /v1/workspaces/{workspace}/devices",
                "GET /v1/workspaces/{workspace}/devices/{id}");
        String[] registered = registerAndRead("fuzz-fixture");
        deviceId = registered[0];
        deviceToken = registered[1];
    }

    @AfterContainer
    static void report() throws IOException {
        long millis = (System.nanoTime() - startedNanos) / 1_000_000;
        int total = CASES.values().stream().mapToInt(AtomicInteger::get).sum();
        String table = CASES.entrySet().stream()
                .map(e -> String.format("  %-34s %6d   %s", e.getKey(), e.getValue().get(),
                        ANSWERS.getOrDefault(e.getKey(), Map.of())))
                .collect(Collectors.joining("\n"));
        String text = "Generated-input suite: " + routes.size() + " routes from /v1/openapi.json ("
                + routes.stream().map(r -> r + (r.hasBody() ? " " + r.fields() : "")).collect(Collectors.joining(", ")) + ")\n"
                + table + "\n  " + String.format("%-34s %6d", "total", total) + "\n  duration " + millis / 1000.0 + " s\n";
        System.out.println(text);
        Path logs = Path.of(System.getProperty("fleet.e2e.logs"));
        Files.createDirectories(logs);
        Files.writeString(logs.resolve("malformed-input-cases.txt"), text);
    }

    @AfterProperty
    void aValidWrite_isAnsweredAndReadable_afterTheBatch() {
        registerAndRead("after-batch");
        count("valid write after a batch");
    }

    // ---------------------------------------------------------------- the container, on every port

    /** A request the HTTP layer itself must refuse, or (when {@code refuse} is false) may normalize and serve. */
    record Broken(String label, byte[] bytes, boolean refuse) {
        @Override
        public String toString() {
            return label;
        }
    }

    @Property(generation = GenerationMode.EXHAUSTIVE)
    void everyService_answersBrokenHttpWithAProblem(@ForAll("ports") int port, @ForAll("brokenHttp") Broken request) {
        Answer answer = RawHttp.send(port, request.bytes());
        check("container (raw, 4 ports)", request.refuse(), port + " " + request.label(), answer);
    }

    @Provide
    Arbitrary<Integer> ports() {
        return Arbitraries.of(platform.gatewayPort, platform.queryPort, platform.commandPort, platform.projectorPort);
    }

    @Provide
    Arbitrary<Broken> brokenHttp() {
        List<Broken> cases = new ArrayList<>();
        cases.add(line("NUL byte in the path", "GET /v1/hea\u0000lth HTTP/1.1", true));
        cases.add(line("%00 in the path", "GET /v1/%00 HTTP/1.1", true));
        cases.add(line("'|' in the path", "GET /v1/devices|x HTTP/1.1", true));
        cases.add(line("'{' in the path", "GET /v1/{ HTTP/1.1", true));
        cases.add(line("raw byte 0xFF in the path", "GET /v1/\u00ff HTTP/1.1", true));
        cases.add(line("invalid UTF-8 escape in the path", "GET /v1/%C3%28 HTTP/1.1", true));
        cases.add(line("overlong UTF-8 in the path", "GET /v1/%C0%80 HTTP/1.1", true));
        cases.add(line("encoded '/' in the path", "GET /v1/%2fhealth HTTP/1.1", true));
        cases.add(line("'..' above the root", "GET /v1/../../etc/passwd HTTP/1.1", true));
        cases.add(line("bad escape in the path", "GET /v1/%zz HTTP/1.1", true));
        cases.add(line("HTTP/9.9", "GET /v1/health HTTP/9.9", true));
        cases.add(line("HTTP/1.x", "GET /v1/health HTTP/1.x", true));
        cases.add(line("CONNECT to an authority", "CONNECT localhost:443 HTTP/1.1", true));
        cases.add(line("CONNECT to a path", "CONNECT /v1/health HTTP/1.1", true));
        cases.add(line("TRACE", "TRACE /v1/health HTTP/1.1", true));
        cases.add(line("unknown method", "BREW /v1/health HTTP/1.1", true));
        cases.add(line("lower-case method", "get /v1/health HTTP/1.1", true));
        cases.add(line("tab in the request line", "GET\t/v1/health HTTP/1.1", false));
        cases.add(line("GET /error", "GET /error HTTP/1.1", true));
        cases.add(line("outside /v1", "GET /elsewhere HTTP/1.1", true));
        cases.add(line("NUL in a query name", "GET /v1/health?%00=1 HTTP/1.1", true));
        cases.add(line("invalid UTF-8 in a query value", "GET /v1/health?q=%C3%28 HTTP/1.1", true));
        cases.add(line("empty query parameter name", "GET /v1/health?=x HTTP/1.1", true));
        cases.add(line("'//' in the path", "GET /v1//health HTTP/1.1", false));
        cases.add(line("%2e%2e in the path", "GET /v1/%2e%2e/v1/health HTTP/1.1", false));
        cases.add(line(";jsessionid in the path", "GET /v1/health;jsessionid=0 HTTP/1.1", false));
        cases.add(line("absolute-form target", "GET http://localhost/v1/health HTTP/1.1", false));
        cases.add(line("a 10 000-character path", "GET /v1/" + "a".repeat(10_000) + " HTTP/1.1", true));
        cases.add(raw("oversized header", "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Pad: " + "p".repeat(10_000)
                + "\r\nConnection: close\r\n\r\n", true));
        cases.add(raw("150 headers", "GET /v1/health HTTP/1.1\r\nHost: x\r\n"
                + "X-H: 1\r\n".repeat(150) + "Connection: close\r\n\r\n", true));
        cases.add(raw("no Host header", "GET /v1/health HTTP/1.1\r\nConnection: close\r\n\r\n", true));
        cases.add(raw("header without a colon", "GET /v1/health HTTP/1.1\r\nHost: x\r\nNoColon\r\nConnection: close\r\n\r\n", true));
        cases.add(raw("control character in a header", "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\nConnection: close\r\n\r\n", true));
        cases.add(raw("C1 control in a header", "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-A: a\u0085b\r\nConnection: close\r\n\r\n", true));
        cases.add(raw("space in the Host", "GET /v1/health HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n", true));
        cases.add(raw("unparseable Content-Length", "POST /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n", true));
        cases.add(raw("Content-Length and chunked", "POST /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n", true));
        cases.add(raw("unknown transfer coding", "POST /v1/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: zip\r\n"
                + "Connection: close\r\n\r\n", true));
        cases.add(raw("bare LF line ends", "GET /v1/health HTTP/1.1\nHost: x\nConnection: close\n\n", false));
        return Arbitraries.of(cases);
    }

    private static Broken line(String label, String requestLine, boolean refuse) {
        return raw(label, requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n", refuse);
    }

    private static Broken raw(String label, String request, boolean refuse) {
        return new Broken(label, request.getBytes(StandardCharsets.ISO_8859_1), refuse);
    }

    // ---------------------------------------------------------------- path parameters

    /** A raw (already encoded) piece of a request with a description. */
    record Piece(String label, String raw) {
        @Override
        public String toString() {
            return label + " [" + (raw.length() > 60 ? raw.substring(0, 60) + "…" : raw) + "]";
        }
    }

    @Property(tries = 400)
    void aMalformedPathParameter_isRefused(@ForAll("routesWithPathParameters") Route route,
            @ForAll("badSegments") Piece segment) {
        Param param = route.in("path").get(0);
        String path = route.template().replace("{" + param.name() + "}", segment.raw());
        Answer answer = send(route, fill(route, path), null, Map.of(), body(route));
        check("path parameters", true, route + " " + param.name() + "=" + segment, answer);
    }

    @Provide
    Arbitrary<Route> routesWithPathParameters() {
        return Arbitraries.of(routes.stream().filter(r -> !r.in("path").isEmpty()).toList());
    }

    @Provide
    Arbitrary<Piece> badSegments() {
        Arbitrary<Piece> fixed = Arbitraries.of(
                new Piece("NUL", "%00"), new Piece("invalid UTF-8", "%C3%28"), new Piece("overlong NUL", "%C0%80"),
                new Piece("lone surrogate", "%ED%A0%80"), new Piece("beyond U+10FFFF", "%F4%90%80%80"),
                new Piece("encoded '/'", "%2f"), new Piece("encoded '/' upper", "%2F"), new Piece("'..'", ".."),
                new Piece("encoded '..'", "%2e%2e"), new Piece("'.'", "."), new Piece("empty", ""),
                new Piece("bad escape", "%zz"), new Piece("lone '%'", "%"), new Piece("encoded '\\'", "%5C"),
                new Piece("control", "x%01y"), new Piece("DEL", "%7F"), new Piece("C1 control", "%C2%85"),
                new Piece("path parameter", "a;b=c"), new Piece("encoded ';'", "%3B"), new Piece("encoded '%'", "%25"),
                new Piece("noncharacter", "%EF%BF%BF"), new Piece("huge", "a".repeat(3_000)),
                new Piece("too long for the request line", "a".repeat(9_000)),
                new Piece("UUID of no device", UUID.randomUUID().toString()),
                new Piece("UUID without dashes", UUID.randomUUID().toString().replace("-", "")));
        Arbitrary<Piece> text = text().map(s -> new Piece("text", encode(s)));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, fixed), net.jqwik.api.Tuple.of(1, text));
    }

    // ---------------------------------------------------------------- query parameters

    @Property(tries = 400)
    void aMalformedQuery_isRefused(@ForAll("readRoutes") Route route, @ForAll("queryNames") String nameHint,
            @ForAll("badQueries") Piece bad) {
        List<String> names = new ArrayList<>(route.in("query").stream().map(Param::name).toList());
        names.add("x");
        String name = names.get(Math.floorMod(nameHint.hashCode(), names.size()));
        String query = bad.raw().replace("{name}", encode(name));
        Answer answer = send(route, fill(route, route.template()), query, Map.of(), null);
        check("query parameters (malformed)", true, route + " ?" + query + " (" + bad.label() + ")", answer);
    }

    @Property(tries = 200)
    void aTypedQueryParameter_refusesWhatItCannotBe(@ForAll("typedParameters") Map.Entry<Route, Param> target,
            @ForAll("edgeIndex") int pick) {
        Param param = target.getValue();
        List<String> values = param.timestamp()
                ? List.of("+1000000000-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
                        "+10000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2026-13-01T00:00:00Z", "yesterday", "1e9")
                : List.of("abc", "1.5", "99999999999999999999", "1e3", "--1", "+-2", "1_000", "one", "0x10", "#10",
                        "\uff11\uff12", "1 2", " 1", "+1");
        String value = values.get(Math.floorMod(pick, values.size()));
        Route route = target.getKey();
        Answer answer = send(route, fill(route, route.template()), encode(param.name()) + "=" + encode(value), Map.of(), null);
        check("query parameters (typed)", true, route + " ?" + param.name() + "=" + value, answer);
    }

    @Property(tries = 300)
    void anyQueryValue_isAnsweredWithoutAServerError(@ForAll("boundedReadRoutes") Route route,
            @ForAll("edgeIndex") int pick, @ForAll("boundaryValues") String value) {
        List<Param> params = route.in("query");
        String name = params.isEmpty() ? "unknown" : params.get(Math.floorMod(pick, params.size())).name();
        String query = encode(name) + "=" + encode(value) + (pick % 3 == 0 ? "&" + encode(name) + "=" + encode(value) : "");
        Answer answer = send(route, fill(route, route.template()), query, Map.of(), null);
        check("query parameters (boundary)", false, route + " ?" + query, answer);
    }

    @Provide
    Arbitrary<Route> readRoutes() {
        return Arbitraries.of(routes.stream().filter(Route::safe).toList());
    }

    /** Reads that answer with a body, not an endless event stream. */
    @Provide
    Arbitrary<Route> boundedReadRoutes() {
        return Arbitraries.of(routes.stream().filter(r -> r.safe() && !r.stream()).toList());
    }

    @Provide
    Arbitrary<String> queryNames() {
        return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(3);
    }

    @Provide
    Arbitrary<Integer> edgeIndex() {
        return Arbitraries.integers().between(0, 1_000);
    }

    @Provide
    Arbitrary<Map.Entry<Route, Param>> typedParameters() {
        List<Map.Entry<Route, Param>> typed = new ArrayList<>();
        for (Route route : routes) {
            for (Param param : route.in("query")) {
                if (param.integer() || param.timestamp()) {
                    typed.add(Map.entry(route, param));
                }
            }
        }
        return Arbitraries.of(typed);
    }

    @Provide
    Arbitrary<Piece> badQueries() {
        List<Piece> values = List.of(new Piece("NUL", "%00"), new Piece("control", "a%01b"), new Piece("newline", "a%0Ab"),
                new Piece("invalid UTF-8", "%C3%28"), new Piece("overlong NUL", "%C0%80"), new Piece("lone surrogate", "%ED%A0%80"),
                new Piece("bad escape", "%zz"), new Piece("lone '%'", "%"), new Piece("C1 control", "%C2%85"),
                new Piece("truncated UTF-8", "%E2%82"), new Piece("DEL", "%7F"));
        List<Piece> cases = new ArrayList<>();
        for (Piece value : values) {
            cases.add(new Piece("value: " + value.label(), "{name}=" + value.raw()));
            cases.add(new Piece("name: " + value.label(), "a" + value.raw() + "=1"));
        }
        cases.add(new Piece("empty name", "=x"));
        cases.add(new Piece("empty name, no value", "="));
        cases.add(new Piece("empty name among others", "{name}=1&=2"));
        cases.add(new Piece("101 parameters", "p=1&".repeat(101)));
        return Arbitraries.of(cases);
    }

    @Provide
    Arbitrary<String> boundaryValues() {
        Arbitrary<String> edges = Arbitraries.of("", " ", "+", "0", "-1", "1", "500", "501", "2147483647", "2147483648",
                "-9223372036854775808", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-01-01T00:00:00+01:00",
                "active", "all", "ALL", "%", "_", "'", "\"", "\\", "..", "a".repeat(4_000),
                base64("garbage"), base64(UUID.randomUUID() + ":"), base64("not-a-uuid:name"),
                base64(UUID.randomUUID() + ":" + "n".repeat(300)), "!!!", "e2V5fQ", "\ud83d\ude00",
                "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\ufeffbom");
        Arbitrary<String> cursors = Arbitraries.bytes().array(byte[].class).ofMaxSize(60)
                .map(bytes -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, edges), net.jqwik.api.Tuple.of(1, cursors),
                net.jqwik.api.Tuple.of(2, text()));
    }

    // ---------------------------------------------------------------- headers

    record HeaderCase(String label, String name, String value, String refusedWhen) {
        @Override
        public String toString() {
            return label;
        }
    }

    @Property(tries = 350)
    void aMalformedHeader_isRefusedOrHarmless(@ForAll("allRoutes") Route route, @ForAll("headerCases") HeaderCase header) {
        boolean refuse = switch (header.refusedWhen()) {
            case "always" -> true;
            case "read" -> route.safe();
            case "body" -> route.hasBody();
            default -> false;
        };
        if (route.stream() && !refuse) {
            return; // would open an event stream that never ends
        }
        Answer answer = send(route, fill(route, route.template()), null, Map.of(header.name(), header.value()), body(route));
        check("headers", refuse, route + " " + header.name() + ": " + header.label(), answer);
    }

    @Provide
    Arbitrary<Route> allRoutes() {
        return Arbitraries.of(routes);
    }

    @Provide
    Arbitrary<HeaderCase> headerCases() {
        Arbitrary<HeaderCase> fixed = Arbitraries.of(
                new HeaderCase("oversized", "X-Pad", "p".repeat(10_000), "always"),
                new HeaderCase("control character", "X-Note", "a\u0001b", "always"),
                new HeaderCase("DEL", "X-Note", "a\u007fb", "always"),
                new HeaderCase("C1 control", "Fleet-Consistency", "a\u0085b", "always"),
                new HeaderCase("consistency: not a token", "Fleet-Consistency", "garbage", "read"),
                new HeaderCase("consistency: version too long", "Fleet-Consistency",
                        "device/" + UUID.randomUUID() + "@99999999999999999999", "read"),
                new HeaderCase("consistency: unknown type", "Fleet-Consistency", "zzz/" + UUID.randomUUID() + "@1", "read"),
                new HeaderCase("consistency: huge", "Fleet-Consistency", "c".repeat(4_000), "read"),
                new HeaderCase("request id: spaces", "X-Request-Id", "a b c", "never"),
                new HeaderCase("request id: huge", "X-Request-Id", "r".repeat(2_000), "never"),
                new HeaderCase("request id: injection", "X-Request-Id", "x\"}{\"level\":\"ERROR", "never"),
                new HeaderCase("accept: html", "Accept", "text/html", "never"),
                new HeaderCase("accept: garbage", "Accept", "garbage/;;;", "never"),
                new HeaderCase("content type: text", "Content-Type", "text/plain", "body"),
                new HeaderCase("content type: latin-1 JSON", "Content-Type", "application/json; charset=ISO-8859-1", "body"),
                new HeaderCase("content type: unparseable", "Content-Type", "garbage", "body"),
                new HeaderCase("content type: unknown charset", "Content-Type", "application/json; charset=nonesuch", "body"));
        Arbitrary<HeaderCase> randomConsistency = Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(80)
                .filter(s -> !s.isBlank() && s.chars().noneMatch(Character::isISOControl))
                .map(s -> new HeaderCase("consistency: random", "Fleet-Consistency", s, "read"));
        Arbitrary<HeaderCase> randomRequestId = Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(100)
                .filter(s -> s.chars().noneMatch(Character::isISOControl) && !s.isBlank())
                .map(s -> new HeaderCase("request id: random", "X-Request-Id", s.strip(), "never"));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, fixed), net.jqwik.api.Tuple.of(1, randomConsistency),
                net.jqwik.api.Tuple.of(1, randomRequestId));
    }

    // ---------------------------------------------------------------- tokens

    record TokenCase(String label, String authorization, boolean refuse) {
        @Override
        public String toString() {
            return label;
        }
    }

    @Property(tries = 200)
    void aBadToken_isRefused(@ForAll("bearerRoutes") Route route, @ForAll("tokenCases") TokenCase token) {
        if (route.stream() && !token.refuse()) {
            return; // a valid token would open an event stream that never ends
        }
        Answer answer = send(route, fill(route, route.template()), null, Map.of("Authorization", token.authorization()),
                body(route), true);
        // a person's token names no workspace and no role: the routes of people read neither, nor refuse their absence
        boolean refuse = token.refuse() && !(route.personRoute() && PERSON_TOKEN_SHAPES.contains(token.label()));
        check("tokens", refuse, route + " " + token.label(), answer);
    }

    /**
     * Valid tokens of a person who is a member of no workspace, whatever workspace or role claims they carry (the
     * platform reads neither): refused under a workspace (404), served on a person's own routes.
     */
    private static final java.util.Set<String> PERSON_TOKEN_SHAPES = java.util.Set.of("no workspace", "unknown role",
            "workspace of 129 characters", "workspace with a control character", "workspace with a space");

    @Provide
    Arbitrary<Route> bearerRoutes() {
        return Arbitraries.of(routes.stream().filter(Route::bearer).toList());
    }

    @Provide
    Arbitrary<TokenCase> tokenCases() {
        long now = Instant.now().getEpochSecond();
        Arbitrary<TokenCase> fixed = Arbitraries.of(
                new TokenCase("no exp", "Bearer " + unchecked(Map.of("workspace", WORKSPACE, "role", "owner")), true),
                new TokenCase("expired", "Bearer " + unchecked(Map.of("workspace", WORKSPACE, "role", "owner",
                        "exp", now - 120)), true),
                new TokenCase("another audience", "Bearer " + unchecked(Map.of("workspace", WORKSPACE, "role", "owner",
                        "exp", now + 3_600, "aud", "someone-else")), true),
                new TokenCase("workspace of 129 characters", "Bearer " + unchecked(Map.of("workspace", "w".repeat(129),
                        "role", "owner", "exp", now + 3_600)), true),
                new TokenCase("workspace with a control character", "Bearer " + unchecked(Map.of("workspace", "w\u0001x",
                        "role", "owner", "exp", now + 3_600)), true),
                new TokenCase("workspace with a space", "Bearer " + unchecked(Map.of("workspace", "a b",
                        "role", "owner", "exp", now + 3_600)), true),
                new TokenCase("no workspace", "Bearer " + unchecked(Map.of("role", "owner", "exp", now + 3_600)), true),
                new TokenCase("unknown role", "Bearer " + unchecked(Map.of("workspace", WORKSPACE, "role", "king",
                        "exp", now + 3_600)), true),
                new TokenCase("subject of 300 characters", "Bearer " + unchecked(Map.of("workspace", WORKSPACE,
                        "role", "owner", "exp", now + 3_600, "sub", "s".repeat(300))), true),
                new TokenCase("unsigned", "Bearer " + unsigned(), true),
                new TokenCase("not a JWT", "Bearer abc.def.ghi", true),
                new TokenCase("empty bearer", "Bearer ", true),
                new TokenCase("another scheme", "Basic YTpi", true),
                new TokenCase("another workspace", "Bearer " + platform.infra.issuer().mint("fuzz-other-" + UUID.randomUUID(),
                        "owner", "stranger", Duration.ofHours(2)), false),
                new TokenCase("numeric workspace", "Bearer " + unchecked(Map.of("workspace", 42, "role", "viewer",
                        "exp", now + 3_600)), false));
        Arbitrary<TokenCase> garbage = Arbitraries.strings().withChars("ABCDEFabcdef0123456789-._~+/=").ofMinLength(1)
                .ofMaxLength(200).map(s -> new TokenCase("garbage token", "Bearer " + s, true));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, fixed), net.jqwik.api.Tuple.of(1, garbage));
    }

    private static String unchecked(Map<String, Object> claims) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("iss", platform.infra.issuer().issuer());
        all.put("aud", "fleetstream");
        all.put("sub", "fuzzer");
        all.put("iat", Instant.now().getEpochSecond() - 10);
        all.putAll(claims);
        return platform.infra.issuer().mintUnchecked(all);
    }

    private static String unsigned() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"workspace\":\"" + WORKSPACE + "\",\"role\":\"owner\",\"exp\":"
                        + (Instant.now().getEpochSecond() + 3_600) + "}").getBytes(StandardCharsets.UTF_8)) + ".";
    }

    // ---------------------------------------------------------------- bodies

    record BodyCase(String label, byte[] bytes, boolean refuse) {
        @Override
        public String toString() {
            return label + " [" + new String(bytes, 0, Math.min(bytes.length, 80), StandardCharsets.ISO_8859_1) + "]";
        }
    }

    @Property(tries = 400)
    void aMalformedBody_isRefused_neverRewritten(@ForAll("bodyRoutes") Route route, @ForAll("edgeIndex") int pick,
            @ForAll("randomJson") Object randomValue) {
        BodyCase body = bodyCase(route, pick, randomValue);
        Answer answer = send(route, fill(route, route.template()), null, Map.of(), body.bytes());
        check("bodies", body.refuse(), route + " " + body, answer);
    }

    @Provide
    Arbitrary<Route> bodyRoutes() {
        return Arbitraries.of(routes.stream().filter(Route::hasBody).toList());
    }

    /** Random JSON values: what a free-form member (settings) may be sent, within the documented limits. */
    @Provide
    Arbitrary<Object> randomJson() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(text().map(s -> (Object) s), Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.doubles().map(d -> (Object) d), Arbitraries.of(true, false).map(b -> (Object) b));
        Arbitrary<Object> flat = Combinators.combine(text().filter(s -> !s.isEmpty()).list().ofMaxSize(4),
                scalar.list().ofSize(4)).as((keys, values) -> {
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < keys.size(); i++) {
                        map.put(keys.get(i), values.get(i));
                    }
                    return (Object) map;
                });
        return Arbitraries.oneOf(scalar, flat, flat.list().ofMaxSize(3).map(l -> (Object) l));
    }

    private static BodyCase bodyCase(Route route, int pick, Object randomValue) {
        Map<String, Object> valid = new LinkedHashMap<>(ApiRoutes.validBody(route));
        valid.put("name", valid.containsKey("name") ? "fuzz-" + pick : null);
        valid.values().removeIf(java.util.Objects::isNull);
        String validText = JSON.writeValueAsString(valid);
        String free = route.bodyIsFree() ? null
                : route.fields().stream().filter(f -> f.type() == null).map(ApiRoutes.Field::name).findFirst().orElse(null);
        String text = route.fields().stream().filter(f -> "string".equals(f.type())).map(ApiRoutes.Field::name)
                .findFirst().orElse(null);
        List<BodyCase> cases = new ArrayList<>();
        cases.add(ascii("truncated", validText.substring(0, 1 + pick % Math.max(1, validText.length() - 1)), true));
        cases.add(ascii("not JSON", "{name: 'x'}", true));
        cases.add(ascii("a bare word", "nul", true));
        cases.add(ascii("trailing comma", "{\"a\":1,}", true));
        cases.add(ascii("trailing garbage", validText + " x", true));
        cases.add(ascii("two documents", validText + " {}", true));
        cases.add(ascii("empty", "", true));
        cases.add(ascii("an array", "[1]", true));
        cases.add(ascii("a string", "\"x\"", true));
        cases.add(ascii("nested 1 000 deep", "[".repeat(1_000) + "]".repeat(1_000), true));
        cases.add(ascii("2 MiB", "{\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}", true));
        String first = valid.isEmpty() ? "a" : valid.keySet().iterator().next();
        cases.add(ascii("duplicate key", "{" + member(first, valid.getOrDefault(first, 1)) + ","
                + validText.substring(1), true));
        cases.add(ascii("1e309", with(validText, free, "{\"big\":1e309}", "{\"big\":1e309}"), true));
        cases.add(ascii("-1e309", with(validText, free, "{\"big\":-1e309}", "{\"big\":-1e309}"), true));
        cases.add(ascii("lone surrogate escape", withText(validText, text, free, "\"a\\ud800b\""), true));
        cases.add(ascii("lone low surrogate escape", withText(validText, text, free, "\"\\udc00\""), true));
        cases.add(ascii("NUL escape", withText(validText, text, free, "\"a\\u0000b\""), true));
        cases.add(ascii("duplicate key in a member", with(validText, free, "{\"x\":1,\"x\":2}", "{\"x\":1,\"x\":2}"), true));
        for (byte[] bad : new byte[][] {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xC3, '('}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}}) {
            String marker = "\"INVALID\"";
            String withMarker = withText(validText, text, free, marker);
            byte[] bytes = withMarker.getBytes(StandardCharsets.ISO_8859_1);
            int at = withMarker.indexOf("INVALID");
            byte[] out = new byte[bytes.length - 7 + bad.length];
            System.arraycopy(bytes, 0, out, 0, at);
            System.arraycopy(bad, 0, out, at, bad.length);
            System.arraycopy(bytes, at + 7, out, at + bad.length, bytes.length - at - 7);
            cases.add(new BodyCase("invalid UTF-8 " + String.format("%02X", bad[0]), out, true));
        }
        for (ApiRoutes.Field field : route.fields()) {
            Object wrong = "string".equals(field.type()) ? List.of(1) : "integer".equals(field.type()) ? "one" : null;
            if (wrong != null) {
                Map<String, Object> body = new LinkedHashMap<>(valid);
                body.put(field.name(), wrong);
                cases.add(ascii("wrong type for '" + field.name() + "'", JSON.writeValueAsString(body), true));
            }
        }
        cases.add(ascii("unknown field", validText.equals("{}") ? "{\"fuzzUnknown\":1}" : "{\"fuzzUnknown\":1," + validText.substring(1),
                !route.bodyIsFree()));
        String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
        cases.add(ascii("40 levels in a member", with(validText, free, deep, deep), false));
        Object value = randomValue;
        String randomText = JSON.writeValueAsString(value);
        cases.add(utf8("random member value", with(validText, free, "{\"v\":" + randomText + "}",
                value instanceof Map ? randomText : "{\"v\":" + randomText + "}"), false));
        if (text != null && value instanceof String s) {
            Map<String, Object> body = new LinkedHashMap<>(valid);
            body.put(text, s);
            cases.add(utf8("random text for '" + text + "'", JSON.writeValueAsString(body), false));
        }
        return cases.get(Math.floorMod(pick, cases.size()));
    }

    private static String member(String name, Object value) {
        return JSON.writeValueAsString(name) + ":" + JSON.writeValueAsString(value);
    }

    /** The valid body with {@code member} as the free-form field, or {@code root} when the body is free-form. */
    private static String with(String validText, String free, String member, String root) {
        if (free == null) {
            return root;
        }
        return validText.equals("{}") ? "{\"" + free + "\":" + member + "}"
                : "{\"" + free + "\":" + member + "," + validText.substring(1);
    }

    /** The valid body with {@code json} (a JSON string) in its first text field, or in a free-form place. */
    private static String withText(String validText, String text, String free, String json) {
        if (text != null && !validText.contains("\"" + text + "\":\"")) {
            return validText.equals("{}") ? "{\"" + text + "\":" + json + "}"
                    : "{\"" + text + "\":" + json + "," + validText.substring(1);
        }
        if (text != null) {
            return validText.replaceFirst("\"" + Pattern.quote(text) + "\":\"[^\"]*\"",
                    java.util.regex.Matcher.quoteReplacement("\"" + text + "\":" + json));
        }
        return with(validText, free, "{\"t\":" + json + "}", "{\"t\":" + json + "}");
    }

    private static BodyCase ascii(String label, String json, boolean refuse) {
        return new BodyCase(label, json.getBytes(StandardCharsets.ISO_8859_1), refuse);
    }

    private static BodyCase utf8(String label, String json, boolean refuse) {
        return new BodyCase(label, json.getBytes(StandardCharsets.UTF_8), refuse);
    }

    // ---------------------------------------------------------------- what is accepted is stored as sent

    /**
     * The other half of "refused, not rewritten": a valid registration with generated text and settings reads
     * back exactly as it was sent (settings compared as JSON, so member order and number spelling do not count).
     */
    @Property(tries = 20)
    void aValidRegistration_readsBackAsSent(@ForAll("names") String name, @ForAll("settings") Map<String, Object> settings) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("type", "e2e");
        body.put("settings", settings);
        byte[] bytes = JSON.writeValueAsBytes(body);
        Answer created = RawHttp.send(platform.gatewayPort, RawHttp.request("POST", platform.under(member, "/v1/devices"),
                Map.of("Authorization", "Bearer " + member, "Content-Type", "application/json"), bytes));
        check("stored as sent", false, "POST /v1/devices " + new String(bytes, StandardCharsets.UTF_8), created);
        // what a name may hold is the command's rule, not this suite's: a name refused as such is no rewrite
        Assume.that(!(created.status() == 400 && created.body().contains("\"field\":\"name\"")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asString();
        Answer read = RawHttp.send(platform.gatewayPort, RawHttp.request("GET", platform.under(member, "/v1/devices/" + id),
                Map.of("Authorization", "Bearer " + member, "Fleet-Consistency", created.header("Fleet-Consistency")), null));
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        JsonNode stored = JSON.readTree(read.body());
        assertThat(stored.get("name").asString()).isEqualTo(name);
        JsonNode sent = JSON.readTree(JSON.writeValueAsString(settings));
        assertThat(sent.equals(SAME_NUMBER, stored.get("settings"))).as("stored %s, sent %s", stored.get("settings"), sent)
                .isTrue();
    }

    /** JSON numbers are equal by value: PostgreSQL writes 1.5E113 back as its 114 digits. */
    private static final java.util.Comparator<JsonNode> SAME_NUMBER = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    /** Names a person might give: any text without controls, not blank, without surrounding blanks. */
    @Provide
    Arbitrary<String> names() {
        return Arbitraries.integers().between(0x20, 0x10FFFF)
                .filter(cp -> (cp < 0xD800 || cp > 0xDFFF) && !Character.isISOControl(cp))
                .list().ofMinSize(1).ofMaxSize(40)
                .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                        .toString().strip())
                .filter(text -> !text.isEmpty() && text.length() <= 200 && text.equals(text.strip()));
    }

    /** Settings of any text keys and values (NUL aside), whole and fractional numbers, booleans, nesting. */
    @Provide
    Arbitrary<Map<String, Object>> settings() {
        Arbitrary<String> text = Arbitraries.integers().between(1, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .list().ofMaxSize(10)
                .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
        Arbitrary<Object> scalar = Arbitraries.oneOf(text.map(t -> (Object) t), Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().filter(Double::isFinite).map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b), Arbitraries.just(new java.math.BigInteger("123456789012345678901234567890")));
        Arbitrary<Object> nested = Arbitraries.maps(text, scalar).ofMaxSize(3).map(m -> (Object) m);
        return Arbitraries.maps(text, Arbitraries.oneOf(scalar, nested, scalar.list().ofMaxSize(3).map(l -> (Object) l)))
                .ofMaxSize(6);
    }

    // ---------------------------------------------------------------- sending and checking

    private static String fill(Route route, String path) {
        String id = route.safe() ? deviceId : UUID.randomUUID().toString(); // writes never touch a real device
        return path.replace("{workspace}", WORKSPACE).replaceAll("\\{[^}/]+}", id);
    }

    private static byte[] body(Route route) {
        return route.hasBody() ? JSON.writeValueAsBytes(ApiRoutes.validBody(route)) : null;
    }

    private static Answer send(Route route, String path, String query, Map<String, String> headers, byte[] body) {
        return send(route, path, query, headers, body, false);
    }

    private static Answer send(Route route, String path, String query, Map<String, String> extra, byte[] body,
            boolean ownAuthorization) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!ownAuthorization) {
            if (route.deviceToken()) {
                headers.put("X-Device-Token", deviceToken);
            } else if (route.bearer()) {
                headers.put("Authorization", "Bearer " + member);
            }
        }
        if (body != null) {
            headers.put("Content-Type", route.bodyType());
        }
        headers.putAll(extra);
        String target = path + (query == null ? "" : "?" + query);
        return RawHttp.send(platform.gatewayPort, RawHttp.request(route.method(), target, headers, body));
    }

    private static void check(String surface, boolean refuse, String what, Answer answer) {
        count(surface);
        java.util.regex.Matcher code = Pattern.compile("\"code\":\"([^\"]+)\"").matcher(answer.body());
        String outcome = answer.status() + (answer.status() >= 400 && code.find() ? " " + code.group(1) : "");
        synchronized (ANSWERS) {
            ANSWERS.computeIfAbsent(surface, s -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
        }
        String context = what + "\n" + answer.head() + "\n" + abbreviate(answer.body());
        assertThat(answer.status()).as("never a server error: " + context).isLessThan(500);
        if (refuse) {
            assertThat(answer.status()).as("refused: " + context).isBetween(400, 499);
        }
        assertThat(answer.header("X-Request-Id")).as("a request id: " + context).isNotNull()
                .matches(SENSIBLE_ID);
        if (answer.status() >= 400) {
            assertThat(answer.header("Content-Type")).as("problem details: " + context)
                    .startsWith("application/problem+json");
            assertThat(answer.body()).as("a code: " + context).containsPattern(PROBLEM_CODE);
            for (String internal : INTERNALS) {
                assertThat(answer.body()).as("no internals: " + context).doesNotContainIgnoringCase(internal);
            }
            assertThat(answer.body().chars().filter(c -> c < 0x20 && c != '\r' && c != '\n'))
                    .as("no raw control characters: " + context).isEmpty();
        }
    }

    private static synchronized void count(String surface) {
        CASES.computeIfAbsent(surface, s -> new AtomicInteger()).incrementAndGet();
    }

    private static String abbreviate(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "…" : text;
    }

    /** Text of any code points but unpaired surrogates, controls included. */
    private static Arbitrary<String> text() {
        return Arbitraries.integers().between(0, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .list().ofMaxSize(12)
                .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Registers a device with the member token and reads it back with its consistency token: {id, deviceToken}. */
    private static String[] registerAndRead(String name) {
        try {
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(platform.gateway() + platform.under(member, "/v1/devices")))
                    .timeout(Duration.ofSeconds(90))
                    .header("Authorization", "Bearer " + member).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"type\":\"e2e\",\"settings\":{\"n\":1}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode json = JSON.readTree(created.body());
            String id = json.get("id").asString();
            HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(URI.create(platform.gateway() + platform.under(member, "/v1/devices/" + id)))
                    .timeout(Duration.ofSeconds(90))
                    .header("Authorization", "Bearer " + member)
                    .header("Fleet-Consistency", created.headers().firstValue("Fleet-Consistency").orElseThrow())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(read.body()).contains("\"name\":\"" + name + "\"", "\"n\":1");
            return new String[] {id, json.get("deviceToken").asString()};
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
