package io.fleetstream.support.web;

import io.fleetstream.schemas.Text;

/**
 * What may be said back to a caller of what the caller sent: answers quote identifiers and parameter
 * names so a person can see what was refused, but never a control character (terminals, log viewers),
 * never half a surrogate pair (unencodable), and never more than a line.
 */
public final class ClientText {

    public static final int DEFAULT_MAX = 80;

    private ClientText() {
    }

    public static String echo(String value) {
        return echo(value, DEFAULT_MAX);
    }

    /**
     * {@code value} as it may be said back: what is not plainly printable written as a hexadecimal escape, cut to
     * {@code max} characters (the same form device answers and logs use, {@link Text#printable}).
     */
    public static String echo(String value, int max) {
        return value == null ? "" : Text.printable(value, max);
    }

    /**
     * The index of the first control, unpaired surrogate or unassigned code point, or -1: what an identifier
     * (a parameter name, a token's subject) never holds, and what Spring Security's firewall refuses in
     * names when it meets them later.
     */
    public static int firstForbidden(String value) {
        return first(value, true);
    }

    /**
     * The index of the first control or unpaired surrogate, or -1: what no text a person meant holds
     * (PostgreSQL refuses NUL). Unassigned code points pass: they may be assigned in a Unicode version newer
     * than this JVM's.
     */
    public static int firstControlOrSurrogate(String value) {
        return first(value, false);
    }

    private static int first(String value, boolean unassigned) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (Character.isISOControl(cp) || isSurrogate(cp) || unassigned && !Character.isDefined(cp)) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    /** Why {@code cp} was refused, in words. */
    public static String describe(int cp) {
        if (cp == 0) {
            return "a NUL character";
        }
        if (Character.isISOControl(cp)) {
            return "a control character (U+" + String.format("%04X", cp) + ")";
        }
        if (isSurrogate(cp)) {
            return "an unpaired UTF-16 surrogate";
        }
        return "an unassigned code point (U+" + String.format("%04X", cp) + ")";
    }

    private static boolean isSurrogate(int cp) {
        return cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
    }
}
