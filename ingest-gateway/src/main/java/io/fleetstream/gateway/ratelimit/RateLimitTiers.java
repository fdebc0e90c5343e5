package io.fleetstream.gateway.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The quotas every principal has: at most {@code limit} requests in each {@code window}, for every tier at
 * once. Written {@code 10/1s,50/10s,200/1m} ({@code FLEET_RATE_LIMITS}); empty or {@code off} for none.
 */
public record RateLimitTiers(List<Tier> tiers) {

    static final String SETTING = "fleet.gateway.rate-limits (FLEET_RATE_LIMITS)";
    /** Each tier is a counter the script reads and writes on every request. */
    static final int MAX_TIERS = 8;
    private static final Duration MAX_WINDOW = Duration.ofDays(1);
    private static final Pattern TIER = Pattern.compile("([0-9]{1,9})/([0-9]{0,6})([smhd])");

    public RateLimitTiers {
        tiers = tiers.stream().sorted(Comparator.comparing(Tier::window)).toList();
    }

    public static RateLimitTiers parse(String text) {
        String setting = text == null ? "" : text.trim();
        if (setting.isEmpty() || setting.equalsIgnoreCase("off")) {
            return new RateLimitTiers(List.of());
        }
        List<Tier> tiers = new ArrayList<>();
        Set<Duration> windows = new HashSet<>();
        for (String part : setting.split(",", -1)) {
            Tier tier = tier(part.trim(), setting);
            if (!windows.add(tier.window())) {
                throw invalid(setting, "names the window " + Tier.format(tier.window()) + " twice");
            }
            tiers.add(tier);
        }
        if (tiers.size() > MAX_TIERS) {
            throw invalid(setting, "has " + tiers.size() + " tiers; at most " + MAX_TIERS + " are allowed");
        }
        return new RateLimitTiers(tiers);
    }

    private static Tier tier(String part, String setting) {
        Matcher m = TIER.matcher(part.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw invalid(setting, "'" + part + "' is not <requests>/<window>");
        }
        long limit = Long.parseLong(m.group(1));
        long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
        Duration window = switch (m.group(3)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (limit < 1) {
            throw invalid(setting, "'" + part + "' allows no request at all; use off to turn rate limiting off");
        }
        if (window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
            throw invalid(setting, "'" + part + "' has a window outside 1s to 1d");
        }
        return new Tier(limit, window);
    }

    private static IllegalArgumentException invalid(String setting, String problem) {
        return new IllegalArgumentException(SETTING + " is '" + setting + "': " + problem + ". Write tiers like "
                + "10/1s,50/10s,200/1m (requests per window; the window in s, m, h or d), or off for no rate limits.");
    }

    public boolean enabled() {
        return !tiers.isEmpty();
    }

    /** The tiers as the draft's RateLimit-Policy header lists them: {@code 10;w=1, 50;w=10, 200;w=60}. */
    String policy() {
        return tiers.stream().map(t -> t.limit() + ";w=" + t.window().toSeconds()).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return enabled() ? tiers.stream().map(Tier::toString).collect(Collectors.joining(",")) : "off";
    }

    /** At most {@code limit} requests in {@code window} (whole seconds). */
    public record Tier(long limit, Duration window) {

        @Override
        public String toString() {
            return limit + "/" + format(window);
        }

        static String format(Duration window) {
            long seconds = window.toSeconds();
            if (seconds % 86_400 == 0) {
                return seconds / 86_400 + "d";
            }
            if (seconds % 3_600 == 0) {
                return seconds / 3_600 + "h";
            }
            return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
        }
    }
}
