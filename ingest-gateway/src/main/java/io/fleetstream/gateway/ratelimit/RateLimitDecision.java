package io.fleetstream.gateway.ratelimit;

import io.fleetstream.gateway.ratelimit.RateLimitTiers.Tier;
import java.util.List;

/**
 * What counting one request decided, told by the tier closest to being exhausted, the one the draft IETF
 * RateLimit headers describe.
 *
 * @param allowed      whether the request may pass; a refused one was counted in no tier
 * @param tier         the tier with the fewest requests left; of those, the one that resets last (for a refused
 *                     request, the exhausted tier the caller has to wait longest for)
 * @param remaining    requests left in that tier's current window
 * @param resetSeconds seconds until that window resets, rounded up (at least 1)
 */
record RateLimitDecision(boolean allowed, Tier tier, long remaining, long resetSeconds) {

    /**
     * @param counts     per tier (in the order of {@code tiers}), the requests counted in its current window
     * @param ttlsMillis per tier, the milliseconds until its current window ends
     */
    static RateLimitDecision of(RateLimitTiers tiers, boolean refused, long[] counts, long[] ttlsMillis) {
        List<Tier> all = tiers.tiers();
        RateLimitDecision closest = null;
        for (int i = 0; i < all.size(); i++) {
            Tier tier = all.get(i);
            long remaining = Math.max(0, tier.limit() - counts[i]);
            long ttl = ttlsMillis[i] > 0 ? ttlsMillis[i] : tier.window().toMillis();
            long reset = Math.max(1, (ttl + 999) / 1000);
            if (closest == null || remaining < closest.remaining()
                    || remaining == closest.remaining() && reset > closest.resetSeconds()) {
                closest = new RateLimitDecision(!refused, tier, remaining, reset);
            }
        }
        if (closest == null) {
            throw new IllegalArgumentException("no tiers");
        }
        return closest;
    }
}
