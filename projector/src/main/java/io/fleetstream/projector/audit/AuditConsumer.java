package io.fleetstream.projector.audit;

import static io.fleetstream.schemas.readmodel.Tables.AUDIT_ENTRY;

import io.fleetstream.projector.projection.ProjectionConsumer;
import io.fleetstream.projector.projection.ProjectionSupport;
import io.fleetstream.schemas.MalformedRecordException;
import io.fleetstream.schemas.RecordRules;
import io.fleetstream.schemas.Text;
import io.fleetstream.schemas.Topics;
import io.fleetstream.schemas.UnknownSchemaException;
import io.fleetstream.schemas.command.CommandResult;
import io.fleetstream.schemas.command.CommandStatus;
import io.fleetstream.support.kafka.DeadLetters;
import io.fleetstream.support.notice.ChangeNotice;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep12;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The audit log: every answer on {@code fleet.command-results} — each accepted command and each refused
 * write, whether the command service or the gateway refused it — as one row, in the consumed batch's
 * transaction with its position. Nothing changes a workspace without a command, and every command is
 * answered there, so the log is complete by construction. Like telemetry it is kept by this read model,
 * not by its topic (which keeps a window), so it cannot be rebuilt from Kafka.
 */
@Component
class AuditConsumer extends ProjectionConsumer {

    static final String NAME = "projector-audit";

    private final DSLContext db;
    private final DeadLetters deadLetters;

    AuditConsumer(DSLContext db, DeadLetters deadLetters, ProjectionSupport support) {
        super(NAME, Topics.COMMAND_RESULTS.name(), List.of(), Sequencing.NONE, support);
        this.db = db;
        this.deadLetters = deadLetters;
    }

    @KafkaListener(id = NAME, topics = "fleet.command-results", groupId = NAME, batch = "true")
    void on(List<ConsumerRecord<byte[], byte[]>> records) {
        consume(records);
    }

    @Override
    protected List<ChangeNotice> apply(List<ConsumerRecord<byte[], byte[]>> records, boolean replaying) {
        InsertValuesStep12<?, String, String, java.time.OffsetDateTime, String, String, String, String, String, String,
                String, String, String> insert = db.insertInto(AUDIT_ENTRY, AUDIT_ENTRY.COMMAND_ID, AUDIT_ENTRY.WORKSPACE_ID,
                AUDIT_ENTRY.AT, AUDIT_ENTRY.ACTOR_KIND, AUDIT_ENTRY.ACTOR_ID, AUDIT_ENTRY.ACTION, AUDIT_ENTRY.TARGET_TYPE,
                AUDIT_ENTRY.TARGET_ID, AUDIT_ENTRY.OUTCOME, AUDIT_ENTRY.CODE, AUDIT_ENTRY.MESSAGE, AUDIT_ENTRY.REQUEST_ID);
        int rows = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            CommandResult result;
            try {
                result = Topics.COMMAND_RESULTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
                if (result == null) {
                    throw new MalformedRecordException("empty record");
                }
                RecordRules.require(result);
            } catch (UnknownSchemaException e) {
                throw e; // written by a newer version: parked until this projector is upgraded
            } catch (RecordRules.InvalidRecordException | MalformedRecordException e) {
                deadLetters.send(record.topic() + "/" + record.partition() + "@" + record.offset(), "audit.unreadable",
                        String.valueOf(e.getMessage()), null, null, record.value());
                continue;
            }
            boolean accepted = result.getStatus() == CommandStatus.ACCEPTED;
            insert = insert.values(result.getCommandId(), result.getWorkspaceId(),
                    result.getCompletedAt().atOffset(ZoneOffset.UTC),
                    result.getActor() == null ? "UNKNOWN" : result.getActor().getKind().name(),
                    result.getActor() == null ? "" : result.getActor().getId(),
                    result.getCommandType() == null ? "unknown" : result.getCommandType(),
                    result.getAggregateType() == null ? "unknown" : result.getAggregateType(),
                    result.getAggregateId(), accepted ? "accepted" : "rejected",
                    accepted ? null : result.getErrorCode(),
                    accepted || result.getErrorMessage() == null ? null : Text.printable(result.getErrorMessage(), 500),
                    result.getRequestId());
            rows++;
        }
        if (rows > 0) {
            insert.onConflictDoNothing().execute();
        }
        return List.of();
    }
}
