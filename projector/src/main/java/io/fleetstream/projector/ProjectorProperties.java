package io.fleetstream.projector;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the projector ({@code FLEET_PROJECTOR_*}).
 *
 * @param rebuildStallTimeout how long a rebuild waits for records before it gives up and rolls back
 */
@ConfigurationProperties("fleet.projector")
public record ProjectorProperties(@DefaultValue("60s") Duration rebuildStallTimeout) {
}
