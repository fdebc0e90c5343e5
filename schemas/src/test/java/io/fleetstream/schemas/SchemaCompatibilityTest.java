package io.fleetstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build's guard on the topic contracts: each record's current schema is recorded in
 * {@code avro-history}, and it can read everything any earlier recorded version wrote. To change a
 * schema, make the change backward compatible (new fields need defaults), then record it as the next
 * {@code v<N>.avsc} with the text this test prints.
 */
class SchemaCompatibilityTest {

    static Stream<Schema> schemas() {
        return Samples.all().stream().map(SpecificRecord::getClass).distinct()
                .map(type -> SpecificData.getForClass(type).getSchema(type));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemas")
    void currentSchema_isRecordedAsTheLatestVersion(Schema current) {
        List<Schema> versions = SchemaHistory.versionsOf(current.getFullName());

        assertThat(versions)
                .as("no version of %s recorded; add src/main/resources/avro-history/%s/v1.avsc:%n%s",
                        current.getFullName(), current.getFullName(), current.toString(true))
                .isNotEmpty();
        Schema latest = versions.get(versions.size() - 1);
        assertThat(SchemaNormalization.parsingFingerprint64(latest))
                .as("%s changed; check it is compatible, then record it as avro-history/%s/v%d.avsc:%n%s",
                        current.getFullName(), current.getFullName(), versions.size() + 1, current.toString(true))
                .isEqualTo(SchemaNormalization.parsingFingerprint64(current));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemas")
    void currentSchema_readsEveryRecordedVersion(Schema current) {
        for (Schema old : SchemaHistory.versionsOf(current.getFullName())) {
            SchemaCompatibility.SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(current, old);
            assertThat(result.getType())
                    .as("%s cannot read data written with an earlier version: %s",
                            current.getFullName(), result.getDescription())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }
}
