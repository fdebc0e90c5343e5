package io.fleetstream.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every version of every record schema that was ever released, under
 * {@code avro-history/<full name>/v<N>.avsc} in this jar. Events are kept forever, so readers must
 * resolve any of them; the build's compatibility test makes sure the current schema can read them all
 * and that a changed schema is recorded as a new version.
 */
public final class SchemaHistory {

    static final String ROOT = "avro-history/";

    private SchemaHistory() {
    }

    /** The recorded versions of a schema, oldest first; empty when none was recorded. */
    public static List<Schema> versionsOf(String fullName) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            String resource = ROOT + fullName + "/v" + version + ".avsc";
            try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(resource, e);
            }
        }
    }
}
