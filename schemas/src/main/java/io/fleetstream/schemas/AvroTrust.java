package io.fleetstream.schemas;

/**
 * Avro 1.12 refuses to instantiate generated classes from packages it was not told to trust. Every
 * process that decodes our records must trust {@code io.fleetstream}; outside consumers set the same
 * system property ({@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.fleetstream}).
 */
public final class AvroTrust {

    public static final String PROPERTY = "org.apache.avro.SERIALIZABLE_PACKAGES";
    public static final String PACKAGE = "io.fleetstream";

    private AvroTrust() {
    }

    public static void ensureTrusted() {
        String current = System.getProperty(PROPERTY);
        if (current == null || current.isBlank()) {
            System.setProperty(PROPERTY, PACKAGE);
        } else if (!current.equals("*") && !(',' + current + ',').contains(',' + PACKAGE + ',')) {
            System.setProperty(PROPERTY, current + ',' + PACKAGE);
        }
    }
}
