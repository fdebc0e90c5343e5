package io.fleetstream.schemas;

/** A record that cannot be read as the contract it claims to be; it belongs on {@code fleet.deadletter}. */
public class MalformedRecordException extends RuntimeException {

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }

    public MalformedRecordException(String message) {
        super(message);
    }
}
