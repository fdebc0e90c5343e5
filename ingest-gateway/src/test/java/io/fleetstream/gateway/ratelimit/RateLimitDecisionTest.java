package io.fleetstream.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimitDecisionTest {

    private final RateLimitTiers tiers = RateLimitTiers.parse("10/1s,50/10s,200/1m");

    @Test
    void theTierWithFewestRequestsLeft_isTold() {
        RateLimitDecision decision = RateLimitDecision.of(tiers, false, new long[] {3, 45, 46},
                new long[] {800, 9_000, 59_000});

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.tier()).isEqualTo(tiers.tiers().get(1));
        assertThat(decision.remaining()).isEqualTo(5);
        assertThat(decision.resetSeconds()).isEqualTo(9);
    }

    @Test
    void ofTiersWithEquallyFewLeft_theOneThatResetsLast_isTold() {
        RateLimitDecision decision = RateLimitDecision.of(tiers, true, new long[] {10, 50, 120},
                new long[] {300, 4_200, 30_000});

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.tier()).isEqualTo(tiers.tiers().get(1));
        assertThat(decision.remaining()).isZero();
        assertThat(decision.resetSeconds()).isEqualTo(5);
    }

    @Test
    void resetSeconds_areRoundedUp_andAtLeastOne() {
        RateLimitTiers oneTier = RateLimitTiers.parse("10/1m");

        assertThat(RateLimitDecision.of(oneTier, false, new long[] {1}, new long[] {59_001}).resetSeconds()).isEqualTo(60);
        assertThat(RateLimitDecision.of(oneTier, false, new long[] {1}, new long[] {1}).resetSeconds()).isEqualTo(1);
        assertThat(RateLimitDecision.of(oneTier, false, new long[] {0}, new long[] {-2}).resetSeconds()).isEqualTo(60);
    }
}
