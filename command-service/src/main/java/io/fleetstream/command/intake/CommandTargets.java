package io.fleetstream.command.intake;

import io.fleetstream.schemas.CommandSpec;
import org.apache.avro.specific.SpecificRecord;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.springframework.stereotype.Component;

/**
 * Commands are Avro records, which cannot carry Axon's annotations: the field their schema marks
 * {@code fleet.aggregateId} names the target ({@link CommandSpec}). Every aggregate uses this resolver.
 */
@Component(CommandTargets.BEAN)
public class CommandTargets implements CommandTargetResolver {

    public static final String BEAN = "commandTargets";
    /** The bean name of the aggregate cache every aggregate uses. */
    public static final String CACHE = "aggregateCache";

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        if (command.getPayload() instanceof SpecificRecord record) {
            return new VersionedAggregateIdentifier((Object) CommandSpec.of(record).aggregateId(record), null);
        }
        throw new IllegalArgumentException("command " + command.getCommandName() + " is not a declared command record");
    }
}
