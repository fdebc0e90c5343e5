package io.fleetstream.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetstream.gateway.device.AuthenticatedDevice;
import io.fleetstream.schemas.telemetry.TelemetryBatch;
import io.fleetstream.schemas.telemetry.TelemetrySource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TelemetryParserTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private final TelemetryParser parser = new TelemetryParser(Clock.fixed(NOW, ZoneOffset.UTC));
    private final AuthenticatedDevice device = new AuthenticatedDevice("d-1", "acme");

    private TelemetryBatch parse(String json) {
        return parser.telemetry(device, "st-1", TelemetrySource.MQTT, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void telemetry_becomesOnePointPerMetric_atTheDevicesTimestamp() {
        TelemetryBatch batch = parse("{\"ts\": " + NOW.minusSeconds(10).toEpochMilli() + ", \"metrics\": {\"temp\": 21.5, \"rpm\": 1200}}");

        assertThat(batch.getWorkspaceId()).isEqualTo("acme");
        assertThat(batch.getStationId()).isEqualTo("st-1");
        assertThat(batch.getPoints()).extracting(p -> p.getMetric() + "=" + p.getValue() + "@" + p.getTimestamp())
                .containsExactly("temp=21.5@" + NOW.minusSeconds(10), "rpm=1200.0@" + NOW.minusSeconds(10));
    }

    @Test
    void telemetry_withoutTimestamp_isStampedOnArrival() {
        assertThat(parse("{\"metrics\": {\"temp\": 1}}").getPoints().get(0).getTimestamp()).isEqualTo(NOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "not json", "[1,2]", "{}", "{\"metrics\": {}}", "{\"metrics\": []}",
            "{\"metrics\": {\"temp\": \"hot\"}}", "{\"metrics\": {\"temp\": null}}", "{\"metrics\": {\"bad name\": 1}}",
            "{\"metrics\": {\"temp\": 1}, \"ts\": \"yesterday\"}", "{\"metrics\": {\"temp\": 1}, \"ts\": 1.5}",
            "{\"metrics\": {\"temp\": 1}, \"ts\": 1}", "{\"metrics\": {\"temp\": 1}, \"ts\": 99999999999999}"})
    void invalidTelemetry_isRefusedWithAReason(String payload) {
        assertThatThrownBy(() -> parse(payload)).isInstanceOf(InvalidTelemetryException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void heartbeats_mayBeEmptyOrAnObject_butNotGarbage() {
        assertThat(parser.heartbeat(device, null, TelemetrySource.MQTT, new byte[0]).getPoints()).isEmpty();
        assertThat(parser.heartbeat(device, null, TelemetrySource.MQTT, "{\"uptime\":5}".getBytes()).getReceivedAt())
                .isEqualTo(NOW);
        assertThatThrownBy(() -> parser.heartbeat(device, null, TelemetrySource.MQTT, "nope".getBytes()))
                .isInstanceOf(InvalidTelemetryException.class);
    }

    @Test
    void oversizedPayloads_areRefusedBeforeParsing() {
        byte[] big = new byte[TelemetryParser.MAX_BYTES + 1];
        assertThatThrownBy(() -> parser.telemetry(device, null, TelemetrySource.HTTP, big))
                .isInstanceOf(InvalidTelemetryException.class).hasMessageContaining("larger than");
    }

    @Test
    void brokenUtf8RepeatedKeysAndReasonsThatWouldEchoInput_areRefusedInOurOwnWords() {
        byte[] overlongNul = {'{', '"', 'a', (byte) 0xC0, (byte) 0x80, '"', ':', '1', '}'};
        assertThatThrownBy(() -> parser.heartbeat(device, null, TelemetrySource.MQTT, overlongNul))
                .isInstanceOf(InvalidTelemetryException.class).hasMessage("payload is not valid UTF-8");
        assertThatThrownBy(() -> parse("{\"metrics\": {\"temp\": 1, \"temp\": 2}}"))
                .isInstanceOf(InvalidTelemetryException.class).hasMessageStartingWith("payload: ")
                .hasMessageNotContaining("jackson").hasMessageNotContaining("Exception");
        assertThatThrownBy(() -> parse("{\"metrics\": {\"t\\u0000\": 1}}"))
                .isInstanceOf(InvalidTelemetryException.class)
                .hasMessageContaining("\\u0000").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u0000"));
    }
}
