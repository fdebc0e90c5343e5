package io.fleetstream.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of one generated record class: every value carries its schema's
 * fingerprint, so outside consumers decode it with the schemas published in this jar, no registry
 * needed. Values written with any earlier version of the schema (see {@link SchemaHistory}) are read
 * into the current class through Avro's schema resolution.
 */
public final class AvroCodec<T extends SpecificRecord> {

    static {
        AvroTrust.ensureTrusted();
    }

    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroCodec(Class<T> type) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        SchemaStore.Cache known = new SchemaStore.Cache();
        SchemaHistory.versionsOf(schema.getFullName()).forEach(known::addSchema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, known);
    }

    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return new AvroCodec<>(type);
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        return schema;
    }

    public byte[] encode(T value) {
        try {
            ByteBuffer buffer = encoder.encode(value);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (AvroRuntimeException | NullPointerException | ClassCastException e) {
            throw new MalformedRecordException("cannot encode " + schema.getFullName() + ": " + e.getMessage(), e);
        }
    }

    /** @throws MalformedRecordException when the bytes are not a single-object encoded value of a known version of this schema */
    public T decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new UnknownSchemaException("a " + schema.getFullName() + " of a schema version this build does not know", e);
        } catch (BadHeaderException e) {
            throw new MalformedRecordException("not a " + schema.getFullName() + ": " + e.getMessage(), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            throw new MalformedRecordException("corrupt " + schema.getFullName() + ": " + e.getMessage(), e);
        }
    }

    public T decode(InputStream in) {
        try {
            return decode(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
