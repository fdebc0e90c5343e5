package io.fleetstream.command.intake;

import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.support.web.CommonErrors;
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
        requireSender(spec, command.getMetaData().get(CommandMetadata.ACTOR_KIND));
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

    /**
     * Who may send a command, as far as its actor's kind tells: what only the platform does (registering a
     * person, granting platform administration) is refused from anyone else, whoever put it on the topic;
     * a person's own command needs a person. Roles within a workspace are checked at the edge for now.
     */
    private static void requireSender(CommandSpec spec, Object actorKind) {
        boolean system = ActorKind.SYSTEM.name().equals(actorKind);
        boolean allowed = switch (spec.access()) {
            case SYSTEM, PLATFORM_ADMIN -> system;
            case USER -> system || ActorKind.USER.name().equals(actorKind);
            default -> true;
        };
        if (!allowed) {
            throw new CommandRejectedException(CommonErrors.FORBIDDEN, spec.typeName() + " is not a command a "
                    + String.valueOf(actorKind).toLowerCase(java.util.Locale.ROOT) + " may send (it takes "
                    + spec.access().label() + ")");
        }
    }
}
