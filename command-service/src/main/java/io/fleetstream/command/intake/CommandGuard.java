package io.fleetstream.command.intake;

import io.fleetstream.schemas.CommandSpec;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * The one check of tenancy every command passes before its aggregate's handler runs, whatever the
 * aggregate: a command may change only an aggregate of its own workspace, and an aggregate of another
 * workspace looks exactly like one that does not exist; a creating command may not reuse an id.
 */
@Component
public class CommandGuard implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final AggregateDirectory directory;

    /** Every command, of every aggregate, passes the guard before its handler. */
    CommandGuard(AggregateDirectory directory, CommandBus commandBus) {
        this.directory = directory;
        commandBus.registerHandlerInterceptor(this);
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        CommandMessage<?> command = unitOfWork.getMessage();
        if (!(command.getPayload() instanceof SpecificRecord record)) {
            throw new IllegalArgumentException("command " + command.getCommandName() + " is not a declared command record");
        }
        CommandSpec spec = CommandSpec.of(record);
        String id = spec.aggregateId(record);
        Object workspace = command.getMetaData().get(CommandMetadata.WORKSPACE_ID);
        Optional<AggregateDirectory.Entry> known = directory.find(id);
        if (spec.creates()) {
            if (known.isPresent()) {
                throw CommandRejectedException.exists(spec.aggregateType(), id);
            }
        } else if (known.isEmpty() || !known.get().aggregateType().equals(spec.aggregateType())
                || !known.get().workspaceId().equals(workspace)) {
            throw CommandRejectedException.notFound(spec.aggregateType(), id);
        }
        return chain.proceed();
    }
}
