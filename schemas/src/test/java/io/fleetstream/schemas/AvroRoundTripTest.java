package io.fleetstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetstream.schemas.device.DeviceRegistered;
import io.fleetstream.schemas.device.RegisterDevice;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroRoundTripTest {

    static Stream<SpecificRecord> records() {
        return Samples.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyRecord_survivesSingleObjectEncoding(SpecificRecord record) {
        AvroCodec codec = AvroCodec.of(record.getClass());

        byte[] bytes = codec.encode(record);

        assertThat(bytes[0]).as("single-object marker").isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(codec.decode(bytes)).isEqualTo(record);
    }

    @Test
    void everyRecordSchema_hasASample() {
        assertThat(Samples.all()).extracting(r -> r.getClass().getName())
                .containsAll(Stream.concat(Payloads.COMMANDS.stream(), Payloads.EVENTS.stream())
                        .map(Class::getName).toList());
    }

    @Test
    void payloads_roundTripByTypeName() {
        RegisterDevice command = (RegisterDevice) Samples.all().get(1);

        byte[] bytes = Payloads.encode(command);

        assertThat(Payloads.decode("RegisterDevice", bytes)).isEqualTo(command);
    }

    @Test
    void decode_refusesBytesOfAnotherSchema() {
        RegisterDevice command = (RegisterDevice) Samples.all().get(1);
        byte[] bytes = Payloads.encode(command);

        assertThatThrownBy(() -> AvroCodec.of(DeviceRegistered.class).decode(bytes))
                .isInstanceOf(MalformedRecordException.class);
        assertThatThrownBy(() -> Payloads.decode("NoSuchThing", bytes))
                .isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void decode_refusesGarbage() {
        assertThatThrownBy(() -> AvroCodec.of(RegisterDevice.class).decode(new byte[] {1, 2, 3}))
                .isInstanceOf(MalformedRecordException.class);
        byte[] truncated = java.util.Arrays.copyOf(Payloads.encode((RegisterDevice) Samples.all().get(1)), 14);
        assertThatThrownBy(() -> AvroCodec.of(RegisterDevice.class).decode(truncated))
                .isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void decode_refusesARecordClaimingAHugeString_beforeAllocatingIt() {
        byte[] header = java.util.Arrays.copyOf(Payloads.encode((RegisterDevice) Samples.all().get(1)), 10);
        // the marker and fingerprint of a real record, then a first string 300,000,000 bytes long
        byte[] poison = java.util.Arrays.copyOf(header, 15);
        System.arraycopy(new byte[] {(byte) 0x80, (byte) 0x8c, (byte) 0x8d, (byte) 0x9e, 0x02}, 0, poison, 10, 5);

        assertThatThrownBy(() -> AvroCodec.of(RegisterDevice.class).decode(poison))
                .isInstanceOf(MalformedRecordException.class)
                .hasRootCauseInstanceOf(org.apache.avro.SystemLimitException.class);
    }
}
