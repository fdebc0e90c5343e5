package io.fleetstream.support.web;

import java.util.Map;

/** An error to answer with problem details: the catalog entry plus what went wrong this time. */
public class FleetException extends RuntimeException {

    private final ErrorCode error;
    private final Map<String, Object> properties;

    public FleetException(ErrorCode error, String detail) {
        this(error, detail, Map.of());
    }

    public FleetException(ErrorCode error, String detail, Map<String, Object> properties) {
        super(detail);
        this.error = error;
        this.properties = Map.copyOf(properties);
    }

    public ErrorCode error() {
        return error;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
