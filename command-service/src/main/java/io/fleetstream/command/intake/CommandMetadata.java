package io.fleetstream.command.intake;

/** Keys of the Axon metadata every command carries into its events (see the correlation provider). */
public final class CommandMetadata {

    public static final String WORKSPACE_ID = "workspaceId";
    public static final String COMMAND_ID = "commandId";
    public static final String ACTOR_KIND = "actorKind";
    public static final String ACTOR_ID = "actorId";
    public static final String REQUEST_ID = "requestId";

    private CommandMetadata() {
    }
}
