package io.fleetstream.schemas;

/**
 * A record written with a schema (a version, or a payload type) this build does not know: most likely by
 * a newer version of the platform. Unlike garbage, it becomes readable once this reader is upgraded, so a
 * consumer of facts keeps it (a projection parks it) rather than dead-lettering it.
 */
public class UnknownSchemaException extends MalformedRecordException {

    public UnknownSchemaException(String message, Throwable cause) {
        super(message, cause);
    }

    public UnknownSchemaException(String message) {
        super(message);
    }
}
