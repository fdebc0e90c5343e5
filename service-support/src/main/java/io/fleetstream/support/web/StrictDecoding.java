package io.fleetstream.support.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Percent-decoding that refuses instead of guessing: {@link java.net.URLDecoder} and the container replace
 * malformed UTF-8 with U+FFFD, which would turn a wrong request into a different, valid-looking one. The
 * JDK's UTF-8 decoder, told to report, refuses overlong forms, encoded surrogates and truncated sequences.
 */
public final class StrictDecoding {

    private StrictDecoding() {
    }

    /** Thrown with a reason a caller can act on. */
    public static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param raw        as sent (the container hands raw bytes over as ISO-8859-1 characters)
     * @param plusIsSpace true in a query string ({@code application/x-www-form-urlencoded})
     */
    public static String percentDecode(String raw, boolean plusIsSpace) throws MalformedException {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0) && isAscii(raw)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || !HexFormat.isHexDigit(raw.charAt(i + 1)) || !HexFormat.isHexDigit(raw.charAt(i + 2))) {
                    throw new MalformedException("'%' must be followed by two hex digits (a literal '%' is '%25')");
                }
                bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c > 0xFF) {
                throw new MalformedException("not percent-encoded UTF-8");
            } else {
                bytes.write(c);
            }
        }
        return utf8(bytes.toByteArray());
    }

    /** The bytes as UTF-8, refused when they are not. */
    public static String utf8(byte[] bytes) throws MalformedException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedException("not valid UTF-8");
        }
    }

    /** The offset of the first byte that is not part of valid UTF-8, or -1. */
    public static int firstInvalidUtf8(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(Math.min(Math.max(bytes.length, 16), 8192));
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        while (true) {
            java.nio.charset.CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return -1;
            }
            out.clear();
        }
    }

    private static boolean isAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }
}
