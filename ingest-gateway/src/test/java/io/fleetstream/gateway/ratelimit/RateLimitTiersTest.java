package io.fleetstream.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetstream.gateway.ratelimit.RateLimitTiers.Tier;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitTiersTest {

    @Test
    void theDefault_isTenASecondFiftyInTenSecondsAndTwoHundredAMinute() {
        RateLimitTiers tiers = new RateLimitProperties("10/1s,50/10s,200/1m").tiers();

        assertThat(tiers.tiers()).containsExactly(new Tier(10, Duration.ofSeconds(1)),
                new Tier(50, Duration.ofSeconds(10)), new Tier(200, Duration.ofMinutes(1)));
        assertThat(tiers.enabled()).isTrue();
        assertThat(tiers).hasToString("10/1s,50/10s,200/1m");
        assertThat(tiers.policy()).isEqualTo("10;w=1, 50;w=10, 200;w=60");
    }

    @Test
    void tiers_takeSpacesHoursDaysAndAWindowOfOneUnit_andAreOrderedByWindow() {
        RateLimitTiers tiers = RateLimitTiers.parse(" 5000/1d , 100/s,1000/2h ");

        assertThat(tiers.tiers()).containsExactly(new Tier(100, Duration.ofSeconds(1)),
                new Tier(1000, Duration.ofHours(2)), new Tier(5000, Duration.ofDays(1)));
        assertThat(tiers).hasToString("100/1s,1000/2h,5000/1d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "off", "OFF"})
    void emptyOrOff_turnsRateLimitingOff(String setting) {
        RateLimitTiers tiers = new RateLimitProperties(setting).tiers();

        assertThat(tiers.enabled()).isFalse();
        assertThat(tiers).hasToString("off");
    }

    @Test
    void noSetting_isOff() {
        assertThat(RateLimitTiers.parse(null).enabled()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "10/", "10/1", "10/1x", "ten/1s", "10/1s;50/10s", "10/1s,", "10/1 s", "-1/1s",
            "1.5/1s", "10/1ms"})
    void aTierThatIsNotRequestsPerWindow_isRefusedAtStartupNamingTheSettingAndTheSyntax(String setting) {
        assertThatThrownBy(() -> new RateLimitProperties(setting))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fleet.gateway.rate-limits (FLEET_RATE_LIMITS) is '" + setting.trim() + "'")
                .hasMessageContaining("is not <requests>/<window>")
                .hasMessageContaining("10/1s,50/10s,200/1m");
    }

    @Test
    void aTierOfNoRequests_isRefused_pointingToOff() {
        assertThatThrownBy(() -> RateLimitTiers.parse("0/1s"))
                .hasMessageContaining("'0/1s' allows no request at all; use off");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10/0s", "10/2d", "10/25h"})
    void aWindowOutsideOneSecondToOneDay_isRefused(String setting) {
        assertThatThrownBy(() -> RateLimitTiers.parse(setting)).hasMessageContaining("window outside 1s to 1d");
    }

    @Test
    void theSameWindowTwice_isRefused() {
        assertThatThrownBy(() -> RateLimitTiers.parse("10/1m,20/60s")).hasMessageContaining("names the window 1m twice");
    }

    @Test
    void moreThanEightTiers_areRefused() {
        assertThatThrownBy(() -> RateLimitTiers.parse("1/1s,2/2s,3/3s,4/4s,5/5s,6/6s,7/7s,8/8s,9/9s"))
                .hasMessageContaining("has 9 tiers; at most 8");
    }
}
