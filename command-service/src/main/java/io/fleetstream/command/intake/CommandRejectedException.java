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

    /** The refusal of every aggregate type for an id it does not have in the command's workspace. */
    public static CommandRejectedException notFound(String aggregateType, String id) {
        return new CommandRejectedException(aggregateType + ".not-found", "No " + aggregateType + " " + id
                + " in this workspace");
    }

    /** The refusal of every creating command whose id is taken. */
    public static CommandRejectedException exists(String aggregateType, String id) {
        return new CommandRejectedException(aggregateType + ".exists", "A " + aggregateType + " with id " + id
                + " already exists");
    }
}
