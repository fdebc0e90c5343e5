package io.fleetstream.schemas;

/**
 * Avro 1.12 refuses to instantiate generated classes from packages it was not told to trust. Every
 * process that decodes our records must trust {@code io.fleetstream}; outside consumers set the same
 * system property ({@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.fleetstream}).
 *
 * <p>Avro also allocates what a record claims before it reads it: a 15-byte record claiming a string of
 * 300 MB would end the decoding thread (and its Kafka listener) with an OutOfMemoryError. So lengths are
 * bounded far above anything our records hold (a Kafka record is at most a few MiB) and far below the
 * heap: such a record fails to decode like any other garbage and is dead-lettered.
 */
public final class AvroTrust {

    public static final String PROPERTY = "org.apache.avro.SERIALIZABLE_PACKAGES";
    public static final String PACKAGE = "io.fleetstream";

    private AvroTrust() {
    }

    static final long MAX_LENGTH = 8L * 1024 * 1024;
    static final long MAX_ITEMS = 1_000_000;

    public static void ensureTrusted() {
        limit("org.apache.avro.limits.string.maxLength", MAX_LENGTH);
        limit("org.apache.avro.limits.bytes.maxLength", MAX_LENGTH);
        limit("org.apache.avro.limits.collectionItems.maxLength", MAX_ITEMS);
        String current = System.getProperty(PROPERTY);
        if (current == null || current.isBlank()) {
            System.setProperty(PROPERTY, PACKAGE);
        } else if (!current.equals("*") && !(',' + current + ',').contains(',' + PACKAGE + ',')) {
            System.setProperty(PROPERTY, current + ',' + PACKAGE);
        }
    }

    private static void limit(String property, long value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, String.valueOf(value));
        }
    }
}
