package io.fleetstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetstream.schemas.command.Actor;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.schemas.command.CommandEnvelope;
import io.fleetstream.schemas.device.RegisterDevice;
import io.fleetstream.schemas.telemetry.TelemetryBatch;
import io.fleetstream.schemas.telemetry.TelemetryPoint;
import io.fleetstream.schemas.telemetry.TelemetrySource;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordRulesTest {

    private static RegisterDevice.Builder register() {
        return RegisterDevice.newBuilder().setDeviceId(Samples.DEVICE).setName("boiler-1").setDeviceType("esp32")
                .setHardwareId("AA:BB").setSettingsJson("{\"interval\":5}").setTokenHash("ab".repeat(32));
    }

    private static List<String> fields(SpecificRecord record) {
        return RecordRules.check(record).stream().map(RecordRules.Violation::field).toList();
    }

    @Test
    void everySample_keepsTheRules() {
        for (SpecificRecord sample : Samples.all()) {
            assertThat(RecordRules.check(sample)).as(sample.getSchema().getFullName()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"boi\u0000ler", "tab\there", "line\nbreak", "del\u007f", "c1\u0085", "\u202eevil",
            "lone \ud800 high", "lone \udc00 low", "non\uffff"})
    void aName_withControlOrBrokenCharacters_isNamedAsInvalid(String name) {
        assertThat(fields(register().setName(name).build())).containsExactly("name");
    }

    @Test
    void aName_withCharactersOutsideTheBasicPlane_isValid() {
        assertThat(RecordRules.check(register().setName("lamp \uD83D\uDCA1 Küche 灯").build())).isEmpty();
    }

    @Test
    void lengths_areBoundedPerField() {
        assertThat(fields(register().setName("n".repeat(201)).setHardwareId("h".repeat(129)).build()))
                .containsExactly("name", "hardwareId");
        assertThat(fields(register().setName("   ").build())).containsExactly("name");
    }

    @Test
    void patternsAndApiNames_areUsed() {
        assertThat(fields(register().setDeviceType("no spaces").setDeviceId("not-a-uuid").setTokenHash("x").build()))
                .containsExactly("deviceId", "type", "tokenHash");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":\"x\\u0000y\"}", "{\"a\\u0000\":1}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udfff\"}",
            "{\"a\":\"\\uD800\\u0041\"}", "{\"a\":\"\u0000\"}", "{\"a\":\"\ud800\"}"})
    void jsonText_thatJsonbCannotStore_isInvalid(String settings) {
        assertThat(fields(register().setSettingsJson(settings).build())).containsExactly("settings");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"pem\":\"-----BEGIN-----\\nAB\\n-----END-----\"}", "{\"a\":\"\\\\u0000 is text\"}",
            "{\"a\":\"\\ud83d\\udca1\"}", "{\"tab\":\"\\t\"}"})
    void jsonText_withEscapedControlsOrPairs_isValid(String settings) {
        assertThat(RecordRules.check(register().setSettingsJson(settings).build())).isEmpty();
    }

    @Test
    void nestedRecordsAndArrays_areCheckedWithTheirPath() {
        CommandEnvelope envelope = CommandEnvelope.newBuilder().setCommandId("c 1").setType("RegisterDevice")
                .setWorkspaceId("w".repeat(129)).setAggregateId(Samples.DEVICE)
                .setActor(Actor.newBuilder().setKind(ActorKind.USER).setId("al\u0000ice").build())
                .setIssuedAt(Samples.NOW).setPayload(ByteBuffer.wrap(new byte[0])).build();
        assertThat(fields(envelope)).containsExactly("commandId", "workspaceId", "actor.id");

        TelemetryBatch batch = TelemetryBatch.newBuilder().setWorkspaceId("acme").setDeviceId(Samples.DEVICE)
                .setStationId(null).setSource(TelemetrySource.HTTP).setReceivedAt(Samples.NOW)
                .setPoints(List.of(point("ok", 1), point("bad\u0000", 2), point("nan", Double.NaN))).build();
        assertThat(fields(batch)).containsExactly("points[1].metric", "points[2].value");
    }

    private static TelemetryPoint point(String metric, double value) {
        return TelemetryPoint.newBuilder().setMetric(metric).setTimestamp(Samples.NOW).setValue(value).build();
    }

    @Test
    void printable_escapesWhatCannotBeShownAndCuts() {
        assertThat(Text.printable("a\u0000b\nc\ud800", 80)).isEqualTo("a\\u0000b\\u000Ac\\uD800");
        assertThat(Text.printable("abcdef", 3)).isEqualTo("abc…");
        assertThat(Text.printable("lamp \uD83D\uDCA1", 80)).isEqualTo("lamp \uD83D\uDCA1");
    }
}
