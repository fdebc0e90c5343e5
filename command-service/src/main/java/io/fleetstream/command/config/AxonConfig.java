package io.fleetstream.command.config;

import io.fleetstream.command.intake.AggregateDirectory;
import io.fleetstream.command.intake.CommandMetadata;
import io.fleetstream.schemas.Payloads;
import io.fleetstream.schemas.SchemaHistory;
import javax.sql.DataSource;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.axonframework.common.caching.Cache;
import java.time.Duration;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.avro.AvroSerializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Axon on plain JDBC, declared explicitly rather than left to auto-configuration, which can silently
 * fall back to in-memory stores when it runs before the DataSource exists. Events are stored in Avro
 * single-object encoding, the same bytes (and schema history) as on {@code fleet.events}.
 */
@Configuration(proxyBeanMethods = false)
class AxonConfig {

    @Bean
    TransactionManager axonTransactionManager(PlatformTransactionManager transactions) {
        return new SpringTransactionManager(transactions);
    }

    /**
     * The connection of the Spring transaction in progress. Not Axon's unit-of-work-aware wrapper: that one
     * commits (or rolls back) the connection itself when a command's unit of work ends, which would commit
     * a command's events before its answer is recorded, and a whole batch with them.
     */
    @Bean
    ConnectionProvider axonConnectionProvider(DataSource dataSource) {
        return new SpringDataSourceConnectionProvider(dataSource);
    }

    /** PostgreSQL reports a duplicate (aggregate, sequence) as SQLState 23505: that is a concurrency conflict. */
    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new SQLStateResolver("23505");
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(@Qualifier("serializer") Serializer general) {
        SchemaStore.Cache schemas = new SchemaStore.Cache();
        Payloads.EVENTS.forEach(type -> {
            schemas.addSchema(SpecificData.getForClass(type).getSchema(type));
            SchemaHistory.versionsOf(type.getName()).forEach(schemas::addSchema);
        });
        return AvroSerializer.builder()
                .serializerDelegate(general)
                .revisionResolver(new AnnotationRevisionResolver())
                .schemaStore(schemas)
                .build();
    }

    @Bean
    EventStorageEngine eventStorageEngine(@Qualifier("serializer") Serializer general,
            @Qualifier("eventSerializer") Serializer events, ConnectionProvider connections,
            TransactionManager transactions, PersistenceExceptionResolver exceptions) {
        // Commands commit a batch at a time, so an event's global index can stay a gap for as long as a batch runs
        // (or waits on a lock another batch holds): the publisher must wait for such gaps far longer than Axon's
        // default minute, or an event that commits late would be skipped and never reach fleet.events.
        return JdbcEventStorageEngine.builder()
                .gapTimeout(600_000)
                .maxGapOffset(100_000)
                .snapshotSerializer(general)
                .eventSerializer(events)
                .connectionProvider(connections)
                .transactionManager(transactions)
                .persistenceExceptionResolver(exceptions)
                .build();
    }

    @Bean
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine) {
        // Commands are applied inside the intake's batch transaction, which commits after Axon's own unit of work
        // has told the store's reader about the new events: that first look finds nothing committed yet, so the
        // reader must look again soon rather than after the default second.
        return EmbeddedEventStore.builder().storageEngine(storageEngine).fetchDelay(50).build();
    }

    /**
     * Aggregates kept in memory between their commands, so that a busy aggregate is not read back from
     * all its events for each one. Only what committed may stay: Axon drops an aggregate whose unit of
     * work rolls back, and the intake drops what a rolled-back savepoint or batch undid.
     */
    @Bean
    Cache aggregateCache() {
        return new BoundedAggregateCache(100_000, Duration.ofHours(1));
    }

    @Bean
    TokenStore tokenStore(ConnectionProvider connections, @Qualifier("serializer") Serializer general) {
        return JdbcTokenStore.builder()
                .connectionProvider(connections)
                .serializer(general)
                .schema(TokenSchema.builder().build())
                .build();
    }

    /** Events carry the command's workspace, id and actor. */
    @Bean
    CorrelationDataProvider commandCorrelation() {
        return new SimpleCorrelationDataProvider(CommandMetadata.WORKSPACE_ID, CommandMetadata.COMMAND_ID,
                CommandMetadata.ACTOR_KIND, CommandMetadata.ACTOR_ID, CommandMetadata.REQUEST_ID);
    }

    /**
     * Axon logs and skips a failing event handler by default. Ours must not skip: the claims handler
     * must roll back its command, and the publisher must retry until Kafka takes the event.
     */
    @Autowired
    void propagateHandlerErrors(EventProcessingConfigurer processing) {
        processing.registerListenerInvocationErrorHandler("device-claims", c -> PropagatingErrorHandler.instance());
        processing.registerListenerInvocationErrorHandler(AggregateDirectory.GROUP, c -> PropagatingErrorHandler.instance());
        processing.registerListenerInvocationErrorHandler("workspace-slugs", c -> PropagatingErrorHandler.instance());
        processing.registerListenerInvocationErrorHandler("kafka-publisher", c -> PropagatingErrorHandler.instance());
        processing.registerListenerInvocationErrorHandler("follow-ups", c -> PropagatingErrorHandler.instance());
    }
}
