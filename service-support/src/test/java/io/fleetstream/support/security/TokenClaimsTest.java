package io.fleetstream.support.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class TokenClaimsTest {

    private static Jwt withClaimBytes(byte[] claims) {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(claims);
        return Jwt.withTokenValue("eyJhbGciOiJSUzI1NiJ9." + payload + ".c2ln").header("alg", "RS256")
                .claim("sub", "whatever the library made of it").build();
    }

    @Test
    void claimsOfInvalidUtf8_areRefused_notReadWithReplacementCharacters() {
        byte[] prefix = "{\"sub\":\"a".getBytes(StandardCharsets.US_ASCII);
        for (byte[] bad : new byte[][] {{(byte) 0xED, (byte) 0xB0, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}}) {
            byte[] claims = new byte[prefix.length + bad.length + 2];
            System.arraycopy(prefix, 0, claims, 0, prefix.length);
            System.arraycopy(bad, 0, claims, prefix.length, bad.length);
            claims[claims.length - 2] = '"';
            claims[claims.length - 1] = '}';
            assertThat(FleetSecurityAutoConfiguration.claimsAreUtf8(withClaimBytes(claims)).hasErrors()).isTrue();
        }
        assertThat(FleetSecurityAutoConfiguration.claimsAreUtf8(withClaimBytes("{\"sub\":\"Jürgen 灯\"}"
                .getBytes(StandardCharsets.UTF_8))).hasErrors()).isFalse();
    }

    @Test
    void aRole_isTakenAsSent() {
        assertThat(Role.parse("owner")).contains(Role.OWNER);
        assertThat(Role.parse("owner\u0000")).isEmpty();
        assertThat(Role.parse(" admin ")).isEmpty();
    }
}
