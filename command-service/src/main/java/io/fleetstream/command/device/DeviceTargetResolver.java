package io.fleetstream.command.device;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.springframework.stereotype.Component;

/** Device commands are Avro records, which cannot carry Axon's annotations: their {@code deviceId} names the target. */
@Component("deviceTargetResolver")
class DeviceTargetResolver implements CommandTargetResolver {

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        if (command.getPayload() instanceof SpecificRecord record) {
            Schema.Field field = record.getSchema().getField("deviceId");
            if (field != null && record.get(field.pos()) != null) {
                return new VersionedAggregateIdentifier((Object) record.get(field.pos()).toString(), null);
            }
        }
        throw new IllegalArgumentException("command " + command.getCommandName() + " names no deviceId");
    }
}
