package io.fleetstream.projector.projection;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of projection rebuilds ({@code FLEET_PROJECTOR_REBUILD_*}).
 *
 * @param stallTimeout how long a rebuild waits for records before it gives up and rolls back
 */
@ConfigurationProperties("fleet.projector.rebuild")
public record RebuildProperties(@DefaultValue("60s") Duration stallTimeout) {
}
