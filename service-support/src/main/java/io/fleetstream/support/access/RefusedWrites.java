package io.fleetstream.support.access;

import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.support.web.FleetException;

/**
 * Where writes refused before they became a command are recorded (the gateway answers them on
 * {@code fleet.command-results}, so that the audit log lists them like the command service's refusals).
 */
public interface RefusedWrites {

    void refused(Grant grant, CommandSpec command, String targetId, FleetException why);
}
