package io.fleetstream.schemas;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a command declares about itself, read from its Avro schema so that the gateway and the command
 * service need no code of their own per command:
 * <ul>
 *   <li>{@code "fleet.aggregate"} (record) the type of aggregate it changes, e.g. {@code device};</li>
 *   <li>{@code "fleet.creates": true} (record) it creates that aggregate (and fails if it exists);</li>
 *   <li>{@code "fleet.access"} (record) who may send it: {@link Access};</li>
 *   <li>{@code "fleet.scope"} (record) the API-key scope it needs, e.g. {@code devices:write};</li>
 *   <li>{@code "fleet.aggregateId": true} (field) the field naming the aggregate.</li>
 * </ul>
 * These properties are not part of Avro's parsing fingerprint: declaring them changes no schema version.
 */
public record CommandSpec(Class<? extends SpecificRecord> type, String aggregateType, Schema.Field idField,
        boolean creates, Access access, String scope) {

    /** Who may send a command, weakest last. Workspace roles are "at least": an owner may do what an admin may. */
    public enum Access {
        /** Only the platform itself (a service acting on its own). */
        SYSTEM,
        /** A platform administrator. */
        PLATFORM_ADMIN,
        /** An owner of the command's workspace. */
        OWNER,
        /** An owner or admin of the workspace. */
        ADMIN,
        /** An owner, admin or member of the workspace. */
        MEMBER,
        /** Any member of the workspace, viewers included. */
        VIEWER,
        /** Any signed-in person, member of a workspace or not. */
        USER;

        /** Whether a workspace role (owner, admin, member, viewer) is enough for this access. */
        public boolean allowsRole(String role) {
            int rank = switch (role.toLowerCase(Locale.ROOT)) {
                case "owner" -> OWNER.ordinal();
                case "admin" -> ADMIN.ordinal();
                case "member" -> MEMBER.ordinal();
                case "viewer" -> VIEWER.ordinal();
                default -> Integer.MAX_VALUE;
            };
            return ordinal() >= OWNER.ordinal() && rank <= ordinal();
        }

        static Access parse(String value) {
            return Access.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static final Map<Class<?>, CommandSpec> SPECS = new ConcurrentHashMap<>();

    /** The declaration of a command type. */
    public static CommandSpec of(Class<? extends SpecificRecord> type) {
        return SPECS.computeIfAbsent(type, t -> read(type));
    }

    public static CommandSpec of(SpecificRecord command) {
        return of(command.getClass());
    }

    /** The declaration of a command by its type name (the envelope's {@code type}), if it is a command. */
    public static Optional<CommandSpec> forType(String typeName) {
        return Payloads.COMMANDS.stream().filter(c -> c.getSimpleName().equals(typeName)).findFirst().map(CommandSpec::of);
    }

    /** Every declared command. */
    public static List<CommandSpec> all() {
        return Payloads.COMMANDS.stream().map(CommandSpec::of).toList();
    }

    /** Every aggregate type some command changes. */
    public static java.util.Set<String> aggregateTypes() {
        return all().stream().map(CommandSpec::aggregateType).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** The id of the aggregate this command targets. */
    public String aggregateId(SpecificRecord command) {
        Object id = command.get(idField.pos());
        if (id == null) {
            throw new MalformedRecordException(type.getSimpleName() + " names no " + idField.name());
        }
        return id.toString();
    }

    /** The command's name as envelopes and audit logs carry it. */
    public String typeName() {
        return type.getSimpleName();
    }

    private static CommandSpec read(Class<? extends SpecificRecord> type) {
        Schema schema = SpecificData.getForClass(type).getSchema(type);
        String aggregate = required(schema, "fleet.aggregate");
        if (!aggregate.matches("[a-z][a-z-]{0,31}")) {
            throw new IllegalStateException(schema.getFullName() + ": fleet.aggregate must be lowercase letters and '-'");
        }
        List<Schema.Field> ids = schema.getFields().stream()
                .filter(f -> Boolean.TRUE.equals(f.getObjectProp("fleet.aggregateId"))).toList();
        if (ids.size() != 1 || ids.get(0).schema().getType() != Schema.Type.STRING) {
            throw new IllegalStateException(schema.getFullName() + " must mark exactly one string field fleet.aggregateId");
        }
        String scope = required(schema, "fleet.scope");
        if (!scope.matches("[a-z-]+:(read|write)|platform")) {
            throw new IllegalStateException(schema.getFullName() + ": fleet.scope must be <area>:read|write or platform");
        }
        return new CommandSpec(type, aggregate, ids.get(0), Boolean.TRUE.equals(schema.getObjectProp("fleet.creates")),
                Access.parse(required(schema, "fleet.access")), scope);
    }

    private static String required(Schema schema, String prop) {
        String value = schema.getProp(prop);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(schema.getFullName() + " declares no " + prop);
        }
        return value;
    }
}
