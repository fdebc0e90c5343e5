package io.fleetstream.support.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The secrets of API keys: {@code fsk_<prefix>_<secret>}, 8 characters of prefix (shown in lists, so a
 * person can tell keys apart) and 256 random bits. Only a SHA-256 of the whole secret is kept: the
 * secret is random and long, so a slow hash would add nothing but cost on every request.
 */
public final class ApiKeySecrets {

    public static final String MARK = "fsk_";
    private static final Pattern SHAPE = Pattern.compile("fsk_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}");
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecrets() {
    }

    public static String newSecret() {
        StringBuilder prefix = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            prefix.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return MARK + prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Whether a bearer credential is meant as an API key (and not a JWT). */
    public static boolean isKey(String bearer) {
        return bearer.startsWith(MARK);
    }

    public static boolean plausible(String bearer) {
        return SHAPE.matcher(bearer).matches();
    }

    /** The part of a secret that may be shown: {@code fsk_ABCD2345}. */
    public static String prefix(String secret) {
        return secret.substring(0, MARK.length() + 8);
    }

    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
