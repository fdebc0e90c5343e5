package io.fleetstream.command.intake;

import io.fleetstream.support.errors.ErrorCatalog;
import io.fleetstream.support.web.ErrorCode;

/**
 * A command the domain refuses, with an entry of the error catalog the gateway answers it with. Thrown
 * before any event is applied, so nothing of the command is stored.
 */
public class CommandRejectedException extends RuntimeException {

    private final ErrorCode error;

    public CommandRejectedException(ErrorCode error, String message) {
        super(message);
        this.error = error;
    }

    public ErrorCode error() {
        return error;
    }

    public String code() {
        return error.code();
    }

    /** The refusal of every aggregate type for an id it does not have in the command's workspace. */
    public static CommandRejectedException notFound(String aggregateType, String id) {
        return new CommandRejectedException(ErrorCatalog.notFound(aggregateType), "No " + aggregateType + " " + id
                + " in this workspace");
    }

    /** The refusal of every creating command whose id is taken. */
    public static CommandRejectedException exists(String aggregateType, String id) {
        return new CommandRejectedException(ErrorCatalog.exists(aggregateType), "A " + aggregateType + " with id " + id
                + " already exists");
    }
}
