package io.fleetstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConsistencyTokenTest {

    @Test
    void token_roundTripsThroughItsText() {
        ConsistencyToken token = new ConsistencyToken("device", UUID.randomUUID(), 7);

        assertThat(ConsistencyToken.parse(token.toString())).contains(token);
    }

    @Test
    void parse_refusesAnythingElse() {
        assertThat(ConsistencyToken.parse(null)).isEmpty();
        assertThat(ConsistencyToken.parse("")).isEmpty();
        assertThat(ConsistencyToken.parse("device/not-a-uuid@1")).isEmpty();
        assertThat(ConsistencyToken.parse("device/" + UUID.randomUUID() + "@-1")).isEmpty();
        assertThat(ConsistencyToken.parse("DEVICE/" + UUID.randomUUID() + "@1")).isEmpty();
        assertThat(ConsistencyToken.parse("device/" + UUID.randomUUID() + "@99999999999999999999")).isEmpty();
    }
}
