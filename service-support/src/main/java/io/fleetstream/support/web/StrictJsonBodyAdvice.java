package io.fleetstream.support.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.AbstractJacksonHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.databind.JsonNode;

/**
 * JSON request bodies are taken as sent or refused, never silently changed. Jackson alone would accept
 * overlong UTF-8 (decoding {@code C0 80} to NUL), a lone surrogate written as {@code \ud800} (stored as
 * '?'), and {@code 1e309} (stored as the string "Infinity"). So the body's bytes are checked to be UTF-8
 * before Jackson reads them, and what Jackson read is checked for NUL, unpaired surrogates and numbers no
 * 64-bit float holds. Duplicate keys are refused by the parser itself (see {@link FleetWebAutoConfiguration}).
 */
@ControllerAdvice
public class StrictJsonBodyAdvice extends RequestBodyAdviceAdapter {

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return AbstractJacksonHttpMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        byte[] body;
        try (InputStream in = input.getBody()) {
            body = in.readAllBytes(); // bounded by RequestSizeLimitFilter
        }
        int invalid = StrictDecoding.firstInvalidUtf8(body);
        if (invalid >= 0) {
            throw new FleetException(CommonErrors.MALFORMED_BODY, "The body is not valid UTF-8 (at byte " + invalid + ").");
        }
        HttpHeaders headers = input.getHeaders();
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }

    @Override
    public Object afterBodyRead(Object body, HttpInputMessage input, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        check(body, "");
        return body;
    }

    static void check(Object value, String path) {
        if (value == null) {
            return;
        }
        if (value instanceof JsonNode node) {
            node(node, path);
        } else if (value instanceof CharSequence text) {
            text(text.toString(), path);
        } else if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            throw refused(path, "is a number out of range");
        } else if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                check(item, path + "[" + i++ + "]");
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> {
                check(key, path);
                check(item, join(path, String.valueOf(key)));
            });
        } else if (value.getClass().isRecord()) {
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                try {
                    component.getAccessor().setAccessible(true);
                    check(component.getAccessor().invoke(value), join(path, component.getName()));
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("unreadable request body component " + component, e);
                }
            }
        }
    }

    private static void node(JsonNode node, String path) {
        if (node.isString()) {
            text(node.asString(), path);
        } else if (node.isNumber() && node.isFloatingPointNumber() && !Double.isFinite(node.decimalValue().doubleValue())) {
            throw refused(path, "is a number out of range (larger than a 64-bit float holds)");
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                int bad = firstBad(member.getKey());
                if (bad >= 0) {
                    throw invalid(path.isEmpty() ? "(body)" : path, "A field name"
                            + (path.isEmpty() ? "" : " in '" + ClientText.echo(path) + "'") + " contains "
                            + ClientText.describe(member.getKey().codePointAt(bad)) + ".",
                            "has a field name that contains " + ClientText.describe(member.getKey().codePointAt(bad)));
                }
                node(member.getValue(), join(path, member.getKey()));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                node(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static void text(String text, String path) {
        int bad = firstBad(text);
        if (bad >= 0) {
            throw refused(path, "contains " + ClientText.describe(text.codePointAt(bad)));
        }
    }

    /** NUL (PostgreSQL cannot store it) and unpaired surrogates (no encoding can): other text is the caller's. */
    private static int firstBad(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The body was read, but a value in it cannot be taken as sent: invalid (like any field that breaks its
     * rules), naming the field, rather than malformed, which is for bodies that cannot be read at all.
     */
    private static FleetException refused(String path, String what) {
        return invalid(path.isEmpty() ? "(body)" : path,
                (path.isEmpty() ? "The body " : "Field '" + ClientText.echo(path) + "' ") + what + ".", what);
    }

    private static FleetException invalid(String field, String detail, String message) {
        return new FleetException(CommonErrors.INVALID_REQUEST, detail,
                Map.of("errors", List.of(Map.of("field", ClientText.echo(field), "message", message))));
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
