package io.fleetstream.support.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses, before anything reads them, the parts of a request that the container would decode by guessing
 * or that storage would choke on: a path or query that is not percent-encoded UTF-8, control characters or
 * unpaired surrogates in them, parameter names that are not plain text, parameters without a name, too many parameters,
 * control characters in header values, and JSON declared in a charset other than UTF-8. Each is a 400 (415
 * for the charset) naming what was wrong, instead of a replacement character reaching a query, a NUL
 * reaching PostgreSQL, or a firewall exception surfacing later as a 500.
 */
public class RequestTextGuardFilter extends OncePerRequestFilter {

    public static final int MAX_PARAMETERS = 100;
    private static final int MAX_REPORTED = 10;

    private final JsonMapper json;

    public RequestTextGuardFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String pathProblem = pathProblem(request.getRequestURI());
        if (pathProblem != null) {
            ProblemResponses.write(request, response, json, CommonErrors.MALFORMED_URI, pathProblem);
            return;
        }
        List<Map<String, Object>> errors = queryProblems(request.getQueryString());
        if (!errors.isEmpty()) {
            ProblemResponses.write(request, response, json, Problems.of(CommonErrors.INVALID_REQUEST,
                    errors.size() == 1 ? "A query parameter is not valid." : "Query parameters are not valid.",
                    Map.of("errors", errors)));
            return;
        }
        String header = headerProblem(request);
        if (header != null) {
            ProblemResponses.write(request, response, json, CommonErrors.MALFORMED_HEADER, header);
            return;
        }
        if (!jsonIsUtf8(request.getContentType())) {
            ProblemResponses.write(request, response, json, CommonErrors.UNSUPPORTED_MEDIA_TYPE,
                    "JSON is UTF-8 (RFC 8259): send 'Content-Type: application/json' without a charset or with charset=utf-8.");
            return;
        }
        chain.doFilter(request, response);
    }

    static String pathProblem(String rawPath) {
        if (rawPath == null) {
            return null;
        }
        String path;
        try {
            path = StrictDecoding.percentDecode(rawPath, false);
        } catch (StrictDecoding.MalformedException e) {
            return "The path is " + e.getMessage() + ".";
        }
        int at = ClientText.firstControlOrSurrogate(path);
        return at < 0 ? null : "The path contains " + ClientText.describe(path.codePointAt(at)) + ".";
    }

    static List<Map<String, Object>> queryProblems(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return List.of();
        }
        String[] pairs = rawQuery.split("&", -1);
        int count = 0;
        for (String pair : pairs) {
            count += pair.isEmpty() ? 0 : 1;
        }
        if (count > MAX_PARAMETERS) {
            return List.of(Map.of("field", "", "message", "at most " + MAX_PARAMETERS + " query parameters, not " + count));
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue; // "a=1&&b=2" or a trailing '&': nothing was sent, nothing is misread
            }
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name;
            try {
                name = StrictDecoding.percentDecode(rawName, true);
            } catch (StrictDecoding.MalformedException e) {
                errors.add(error(ClientText.echo(rawName), "the name is " + e.getMessage()));
                continue;
            }
            if (name.isEmpty()) {
                errors.add(error("", "a parameter has a value but no name"));
                continue;
            }
            int badName = ClientText.firstForbidden(name);
            if (badName >= 0) {
                errors.add(error(ClientText.echo(name), "the name contains " + ClientText.describe(name.codePointAt(badName))));
                continue;
            }
            if (eq >= 0) {
                try {
                    String value = StrictDecoding.percentDecode(pair.substring(eq + 1), true);
                    int bad = ClientText.firstControlOrSurrogate(value);
                    if (bad >= 0) {
                        errors.add(error(ClientText.echo(name), "contains " + ClientText.describe(value.codePointAt(bad))));
                    }
                } catch (StrictDecoding.MalformedException e) {
                    errors.add(error(ClientText.echo(name), "is " + e.getMessage()));
                }
            }
            if (errors.size() == MAX_REPORTED) {
                break;
            }
        }
        return errors;
    }

    private static Map<String, Object> error(String field, String message) {
        return Map.of("field", field, "message", message);
    }

    private static String headerProblem(HttpServletRequest request) {
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                for (int i = 0; i < value.length(); i++) {
                    if (Character.isISOControl(value.charAt(i))) {
                        return "Header '" + ClientText.echo(name, 64) + "' contains a control character (U+"
                                + String.format("%04X", (int) value.charAt(i)) + ").";
                    }
                }
            }
        }
        return null;
    }

    private static boolean jsonIsUtf8(String contentType) {
        if (contentType == null) {
            return true;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            boolean json = type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
            String charset = type.getParameter("charset");
            return !json || charset == null || charset.replace("\"", "").equalsIgnoreCase(StandardCharsets.UTF_8.name());
        } catch (InvalidMediaTypeException e) {
            return true; // not ours to judge here: Spring MVC answers 415 for an unreadable Content-Type
        }
    }
}
