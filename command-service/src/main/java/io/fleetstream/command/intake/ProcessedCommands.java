package io.fleetstream.command.intake;

import io.fleetstream.schemas.command.Actor;
import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.schemas.command.CommandResult;
import io.fleetstream.schemas.command.CommandStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.RowCallbackHandler;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The answers of all commands ever processed, by command id. */
@Repository
class ProcessedCommands {

    private final JdbcTemplate jdbc;

    ProcessedCommands(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<CommandResult> find(String commandId) {
        return jdbc.query(SELECT + " where command_id = ?", ProcessedCommands::result, commandId).stream().findFirst();
    }

    /** The answers of those of these ids that were recorded, by id. */
    Map<String, CommandResult> findAll(Collection<String> commandIds) {
        if (commandIds.isEmpty()) {
            return Map.of();
        }
        Map<String, CommandResult> found = new HashMap<>();
        jdbc.query(con -> {
            PreparedStatement statement = con.prepareStatement(SELECT + " where command_id = any(?)");
            statement.setArray(1, con.createArrayOf("varchar", commandIds.toArray()));
            return statement;
        }, (RowCallbackHandler) rs -> {
            CommandResult result = result(rs, 0);
            found.put(result.getCommandId(), result);
        });
        return found;
    }

    private static final String SELECT = """
            select command_id, workspace_id, aggregate_id, status, aggregate_version, error_code, error_message,
                   completed_at, aggregate_type, command_type, actor_kind, actor_id, request_id
            from processed_command""";

    private static CommandResult result(ResultSet rs, int row) throws SQLException {
        return CommandResult.newBuilder()
                .setCommandId(rs.getString(1))
                .setWorkspaceId(rs.getString(2))
                .setAggregateId(rs.getString(3))
                .setStatus(CommandStatus.valueOf(rs.getString(4)))
                .setAggregateVersion(rs.getObject(5) == null ? null : rs.getLong(5))
                .setErrorCode(rs.getString(6))
                .setErrorMessage(rs.getString(7))
                .setCompletedAt(rs.getTimestamp(8).toInstant())
                .setAggregateType(rs.getString(9))
                .setCommandType(rs.getString(10))
                .setActor(rs.getString(11) == null || rs.getString(12) == null ? null
                        : Actor.newBuilder().setKind(ActorKind.valueOf(rs.getString(11))).setId(rs.getString(12)).build())
                .setRequestId(rs.getString(13))
                .build();
    }

    /** Records an answer; a concurrent duplicate makes the enclosing transaction fail with a duplicate key. */
    void insert(CommandResult result) {
        jdbc.update("""
                insert into processed_command (command_id, workspace_id, aggregate_id, status, aggregate_version,
                                               error_code, error_message, completed_at, aggregate_type, command_type,
                                               actor_kind, actor_id, request_id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                result.getCommandId(), result.getWorkspaceId(), result.getAggregateId(), result.getStatus().name(),
                result.getAggregateVersion(), result.getErrorCode(), result.getErrorMessage(),
                result.getCompletedAt().atOffset(java.time.ZoneOffset.UTC), result.getAggregateType(), result.getCommandType(),
                result.getActor() == null ? null : result.getActor().getKind().name(),
                result.getActor() == null ? null : result.getActor().getId(), result.getRequestId());
    }
}
