package io.fleetstream.command.intake;

/**
 * A command the domain refuses, with a stable code the gateway maps to an HTTP status. Thrown before
 * any event is applied, so nothing of the command is stored.
 */
public class CommandRejectedException extends RuntimeException {

    private final String code;

    public CommandRejectedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
