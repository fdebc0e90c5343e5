package io.fleetstream.support.kafka;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * Tells a failure that retrying the same input can never cure (the input, or the code applying it, is at
 * fault: a value PostgreSQL cannot store, an index row over its limit, a parse error) from one that
 * passes (the database or Kafka is away, a deadlock, a serialization conflict). Consumers retry the
 * second kind with back-off and set the record aside for the first, so that one bad record never blocks
 * its partition.
 */
public final class Failures {

    /**
     * SQLSTATE classes that come and go: connection (08), transaction rollback such as deadlocks and
     * serialization failures (40), insufficient resources (53), object not in prerequisite state such as
     * lock timeouts (55), operator intervention such as an admin shutdown (57), system errors (58) and
     * internal errors (XX).
     */
    private static final Set<String> TRANSIENT_SQL_CLASSES = Set.of("08", "40", "53", "55", "57", "58", "XX");

    private static final String PROTOCOL_VIOLATION = "08P01";

    private Failures() {
    }

    /** Whether the same input will fail the same way however often it is retried. */
    public static boolean isPermanent(Throwable failure) {
        String sqlState = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof TransientDataAccessException
                    || cause instanceof IOException
                    || cause instanceof TimeoutException || cause instanceof InterruptedException
                    || cause instanceof TransactionException || cause instanceof KafkaException) {
                return false;
            }
            if (cause instanceof SQLException sql && sqlState == null) {
                sqlState = stateOf(sql);
            }
        }
        if (sqlState != null) {
            // a protocol violation is what the driver answers for text the server cannot take (a NUL): the input's
            return PROTOCOL_VIOLATION.equals(sqlState)
                    || sqlState.length() >= 2 && !TRANSIENT_SQL_CLASSES.contains(sqlState.substring(0, 2));
        }
        // no database verdict and nothing away: an unexpected runtime error of the applying code (a parse
        // error, a null, a bad argument) recurs on every retry
        return failure instanceof RuntimeException;
    }

    /** What went wrong, in one printable line, for logs and the operator's listing of parked records. */
    public static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && stateOf(sql) != null) {
                sql = sql.getSQLState() == null ? sql.getNextException() : sql;
                String message = sql.getMessage() == null ? "" : sql.getMessage().lines().findFirst().orElse("");
                return "database refused it (SQLSTATE " + sql.getSQLState() + "): "
                        + io.fleetstream.schemas.Text.printable(message, 300);
            }
        }
        String message = failure.getMessage() == null ? "" : failure.getMessage().lines().findFirst().orElse("");
        return failure.getClass().getSimpleName() + ": " + io.fleetstream.schemas.Text.printable(message, 300);
    }

    /** The SQLSTATE the database answered with, if the failure came from it. */
    public static String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && stateOf(sql) != null) {
                return stateOf(sql);
            }
        }
        return null;
    }

    /** A batch's exception may carry its statement's state only on the exception chained after it. */
    private static String stateOf(SQLException sql) {
        if (sql.getSQLState() != null) {
            return sql.getSQLState();
        }
        return sql.getNextException() == null ? null : sql.getNextException().getSQLState();
    }
}
