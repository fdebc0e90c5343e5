package io.fleetstream.schemas;

/**
 * What a text from outside may contain, and how to show one safely. Checked once at the edge and again
 * where a record is consumed (see {@link RecordRules}): PostgreSQL cannot store a NUL, Java strings can
 * hold lone UTF-16 surrogates that become {@code ?} on the way to UTF-8, and control or bidirectional
 * formatting characters in names only serve to spoof or to break logs and terminals.
 */
public final class Text {

    private Text() {
    }

    /**
     * Why a single-line text (a name, an id, a reason) is not acceptable, or null when it is: no control
     * characters (C0, DEL, C1), no lone surrogates, no noncharacters, no bidirectional overrides.
     */
    public static String lineProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return "must not contain control characters (found U+%04X at %d)".formatted((int) c, i);
            }
            if (isBidiControl(c)) {
                return "must not contain bidirectional formatting characters (found U+%04X at %d)".formatted((int) c, i);
            }
            if (c == 0xfffe || c == 0xffff) {
                return "must not contain the noncharacter U+%04X (at %d)".formatted((int) c, i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must be valid Unicode (a lone surrogate U+%04X at %d)".formatted((int) c, i);
            }
        }
        return null;
    }

    /**
     * Why a JSON text is not storable as PostgreSQL {@code jsonb}, or null when it is: no NUL, neither raw
     * nor as the escape {@code \u0000}, and no lone surrogates, neither raw nor escaped. Other control
     * characters are legitimate inside JSON strings (escaped) and stay allowed.
     */
    public static String jsonProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return "must not contain NUL characters";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                return "must be valid Unicode (a lone surrogate U+%04X)".formatted((int) c);
            }
            if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(++i);
                if (next != 'u') {
                    continue; // \\, \" and the other two-character escapes
                }
                int code = hex4(value, i + 1);
                if (code < 0) {
                    continue; // not valid JSON anyway; its parser says so
                }
                i += 4;
                if (code == 0) {
                    return "must not contain NUL characters (\\u0000)";
                }
                if (code >= 0xd800 && code <= 0xdbff) {
                    int low = i + 2 < value.length() && value.charAt(i + 1) == '\\' && value.charAt(i + 2) == 'u'
                            ? hex4(value, i + 3) : -1;
                    if (low < 0xdc00 || low > 0xdfff) {
                        return "must be valid Unicode (a lone surrogate \\u%04x)".formatted(code);
                    }
                    i += 6;
                } else if (code >= 0xdc00 && code <= 0xdfff) {
                    return "must be valid Unicode (a lone surrogate \\u%04x)".formatted(code);
                }
            }
        }
        return null;
    }

    /**
     * A text from outside as it may be shown in a message, a log line or an MQTT reason string: anything
     * that is not plainly printable is written as {@code \\uXXXX}, and it is cut to {@code max} characters.
     */
    public static String printable(String value, int max) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), max) + 8);
        int i = 0;
        for (; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                out.append(c).append(value.charAt(++i));
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || isBidiControl(c) || Character.isSurrogate(c)
                    || c == 0xfffe || c == 0xffff) {
                out.append("\\u%04X".formatted((int) c));
            } else {
                out.append(c);
            }
        }
        return i < value.length() ? out + "…" : out.toString();
    }

    private static boolean isBidiControl(char c) {
        return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
                || c == 0x061c;
    }

    private static int hex4(String value, int from) {
        if (from + 4 > value.length()) {
            return -1;
        }
        int code = 0;
        for (int i = from; i < from + 4; i++) {
            int digit = Character.digit(value.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            code = code * 16 + digit;
        }
        return code;
    }
}
