package io.fleetstream.query;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param consistencyTimeout how long a request carrying {@code Fleet-Consistency} may wait for the read model
 * @param consistencyWaiters how many such requests may wait at once; more are answered 503 at once
 * @param consistencyWaitersPerWorkspace how many of them one workspace may hold, so that no caller can make
 *                           every other workspace's read-your-writes fail
 * @param streamHeartbeat    how often an idle event stream sends a keep-alive comment
 * @param streamTimeout      how long one event stream stays open before the client must reconnect
 */
@ConfigurationProperties("fleet.query")
public record QueryProperties(
        @DefaultValue("5s") Duration consistencyTimeout,
        @DefaultValue("64") int consistencyWaiters,
        @DefaultValue("8") int consistencyWaitersPerWorkspace,
        @DefaultValue("15s") Duration streamHeartbeat,
        @DefaultValue("30m") Duration streamTimeout) {
}
