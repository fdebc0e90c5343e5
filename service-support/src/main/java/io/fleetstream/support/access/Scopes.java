package io.fleetstream.support.access;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API-key scopes: {@code <area>:read} or {@code <area>:write} (write implies read) for the areas below,
 * and {@code *:read} / {@code *:write} for all of them.
 */
public final class Scopes {

    public static final List<String> AREAS = List.of("workspace", "members", "teams", "devices", "telemetry", "audit",
            "api-keys");
    private static final Pattern SCOPE = Pattern.compile("([a-z*-]+):(read|write)");

    private Scopes() {
    }

    /** The scopes as given, checked and without duplicates; the message of the first bad one otherwise. */
    public static Set<String> parse(List<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("at least one scope is required, e.g. devices:read");
        }
        Set<String> parsed = new TreeSet<>();
        for (String scope : scopes) {
            Matcher m = scope == null ? null : SCOPE.matcher(scope);
            if (m == null || !m.matches() || !(m.group(1).equals("*") || AREAS.contains(m.group(1)))) {
                throw new IllegalArgumentException("'" + io.fleetstream.support.web.ClientText.echo(String.valueOf(scope), 40)
                        + "' is not a scope: use <area>:read or <area>:write with an area of " + AREAS + ", or *:read, *:write");
            }
            parsed.add(scope);
        }
        return parsed;
    }

    /** Whether granted scopes cover a needed one ({@code devices:read}, {@code members:write}). */
    public static boolean allows(Set<String> granted, String needed) {
        int colon = needed.indexOf(':');
        if (colon < 0) {
            return false; // platform scopes are never a key's
        }
        String area = needed.substring(0, colon);
        boolean read = needed.endsWith(":read");
        return granted.contains(area + ":write") || granted.contains("*:write")
                || (read && (granted.contains(area + ":read") || granted.contains("*:read")));
    }
}
