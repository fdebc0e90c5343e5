package io.fleetstream.schemas;

import io.fleetstream.schemas.command.CommandEnvelope;
import io.fleetstream.schemas.command.CommandResult;
import io.fleetstream.schemas.deadletter.DeadLetter;
import io.fleetstream.schemas.event.EventEnvelope;
import io.fleetstream.schemas.telemetry.TelemetryBatch;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The Kafka topics of Fleetstream. Their names, keys and value schemas are a contract with outside
 * consumers (stream-analytics apps, kcat): change them only compatibly.
 */
public final class Topics {

    public static final Topic<String, CommandEnvelope> COMMANDS = new Topic<>(
            "fleet.commands", Serdes.String(), AvroSerde.of(CommandEnvelope.class), Topic.Retention.DEFAULT);

    public static final Topic<String, CommandResult> COMMAND_RESULTS = new Topic<>(
            "fleet.command-results", Serdes.String(), AvroSerde.of(CommandResult.class), Topic.Retention.DEFAULT);

    public static final Topic<String, EventEnvelope> EVENTS = new Topic<>(
            "fleet.events", Serdes.String(), AvroSerde.of(EventEnvelope.class), Topic.Retention.FOREVER);

    public static final Topic<String, TelemetryBatch> TELEMETRY = new Topic<>(
            "fleet.telemetry", Serdes.String(), AvroSerde.of(TelemetryBatch.class), Topic.Retention.DEFAULT);

    public static final Topic<String, DeadLetter> DEADLETTER = new Topic<>(
            "fleet.deadletter", Serdes.String(), AvroSerde.of(DeadLetter.class), Topic.Retention.DEFAULT);

    /**
     * Header of every {@code fleet.events} record naming its envelope's aggregate type (UTF-8), so that a
     * consumer of some aggregate types passes over the others' records without decoding them.
     */
    public static final String AGGREGATE_TYPE_HEADER = "fleet-aggregate-type";

    public static final List<Topic<?, ?>> ALL = List.of(COMMANDS, COMMAND_RESULTS, EVENTS, TELEMETRY, DEADLETTER);

    private Topics() {
    }
}
