package io.fleetstream.command.intake;

import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.command.access.Memberships;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.Scopes;
import io.fleetstream.support.errors.WorkspaceErrors;
import io.fleetstream.support.web.CommonErrors;
import java.time.Instant;
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

    /** What the platform itself still does in a deleted workspace: winding it down. */
    private static final java.util.Set<String> AFTER_DELETION = java.util.Set.of("DecommissionDevice");
    /**
     * The platform's follow-ups of what an archived workspace still takes (a member removed leaves the teams):
     * archiving must not leave a removal half done.
     */
    private static final java.util.Set<String> SYSTEM_WHILE_ARCHIVED = java.util.Set.of("RemoveTeamMember",
            "DecommissionDevice");

    private final AggregateDirectory directory;
    private final Memberships memberships;

    /** Every command, of every aggregate, passes the guard before its handler. */
    CommandGuard(AggregateDirectory directory, Memberships memberships, CommandBus commandBus) {
        this.directory = directory;
        this.memberships = memberships;
        commandBus.registerHandlerInterceptor(this);
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        CommandMessage<?> command = unitOfWork.getMessage();
        if (!(command.getPayload() instanceof SpecificRecord record)) {
            throw new IllegalArgumentException("command " + command.getCommandName() + " is not a declared command record");
        }
        CommandSpec spec = CommandSpec.of(record);
        Object actorKind = command.getMetaData().get(CommandMetadata.ACTOR_KIND);
        requireSender(spec, actorKind, command.getMetaData().get(CommandMetadata.ACTOR_ID));
        String id = spec.aggregateId(record);
        Object workspace = command.getMetaData().get(CommandMetadata.WORKSPACE_ID);
        Object named = record.getSchema().getField("workspaceId") != null && !spec.idField().name().equals("workspaceId")
                ? record.get(record.getSchema().getField("workspaceId").pos()) : null;
        if (named != null && !named.toString().equals(String.valueOf(workspace))) {
            // what a command creates belongs to the workspace it was sent in, and to no other
            throw new CommandRejectedException(WorkspaceErrors.NOT_FOUND, "No workspace " + named);
        }
        if (spec.access().ordinal() >= CommandSpec.Access.OWNER.ordinal()
                && spec.access().ordinal() <= CommandSpec.Access.VIEWER.ordinal()) {
            requireAccess(spec, String.valueOf(workspace), String.valueOf(actorKind),
                    String.valueOf(command.getMetaData().get(CommandMetadata.ACTOR_ID)));
        }
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
     * A command of a workspace's own takes a workspace that exists and is not deleted, a person who is a member
     * with the role the command declares (or administers the platform), or a live key of that workspace with
     * the scope, whose creator has the role; an archived workspace takes no writes but its archiving, restoring
     * and deleting. The platform itself (a system actor) may send any. This is the strict check: the gateway's
     * check of the same is only as current as the read model.
     */
    private void requireAccess(CommandSpec spec, String workspace, String actorKind, String actorId) {
        boolean system = ActorKind.SYSTEM.name().equals(actorKind);
        boolean byKey = ActorKind.API_KEY.name().equals(actorKind);
        Optional<Memberships.Key> key = byKey ? memberships.key(actorId) : Optional.empty();
        // a key acts with its creator's role; one query tells the workspace's status and that person's standing
        String person = byKey ? key.map(Memberships.Key::creatorId).orElse("") : system ? "" : actorId;
        Memberships.Standing standing = memberships.standing(workspace, person);
        Optional<String> status = standing.status();
        if (status.isEmpty() || status.get().equals("DELETED") && !(system && AFTER_DELETION.contains(spec.typeName()))) {
            throw new CommandRejectedException(WorkspaceErrors.NOT_FOUND, "No workspace " + workspace);
        }
        if (!system) {
            if (byKey) {
                Memberships.Key live = key.filter(k -> k.workspaceId().equals(workspace)
                        && !k.revoked() && (k.expiresAt() == null || k.expiresAt().isAfter(Instant.now())))
                        .orElseThrow(() -> new CommandRejectedException(CommonErrors.UNAUTHENTICATED,
                                "API key " + actorId + " is unknown here, revoked or expired"));
                if (!Scopes.allows(live.scopes(), spec.scope())) {
                    throw new CommandRejectedException(CommonErrors.SCOPE_MISSING, spec.typeName() + " needs the scope "
                            + spec.scope());
                }
            } else if (!ActorKind.USER.name().equals(actorKind)) {
                throw new CommandRejectedException(CommonErrors.FORBIDDEN, spec.typeName() + " is not a command a "
                        + actorKind.toLowerCase(java.util.Locale.ROOT) + " may send");
            }
            Optional<String> role = standing.role();
            boolean admin = standing.platformAdmin();
            if (role.isEmpty() && !admin) {
                throw new CommandRejectedException(WorkspaceErrors.NOT_FOUND, "No workspace " + workspace
                        + " that you are a member of");
            }
            if (!admin && !spec.access().allowsRole(role.get())) {
                throw new CommandRejectedException(CommonErrors.FORBIDDEN, spec.typeName() + " takes the role "
                        + spec.access().label() + "; yours is " + role.get());
            }
        }
        if (status.get().equals("ARCHIVED") && !Grant.WHILE_ARCHIVED.contains(spec.typeName())
                && !(system && SYSTEM_WHILE_ARCHIVED.contains(spec.typeName()))) {
            throw new CommandRejectedException(WorkspaceErrors.ARCHIVED, "Workspace " + workspace + " is archived");
        }
    }

    /**
     * Who may send a command, as far as its actor's kind tells: what only the platform does (registering a
     * person, granting platform administration) is refused from anyone else, whoever put it on the topic;
     * a person's own command needs a person; what platform administrators do takes the platform or one of them.
     */
    private void requireSender(CommandSpec spec, Object actorKind, Object actorId) {
        boolean system = ActorKind.SYSTEM.name().equals(actorKind);
        boolean allowed = switch (spec.access()) {
            case SYSTEM -> system;
            case PLATFORM_ADMIN -> system || ActorKind.USER.name().equals(actorKind)
                    && memberships.isPlatformAdmin(String.valueOf(actorId));
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
