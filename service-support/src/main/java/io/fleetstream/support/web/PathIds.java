package io.fleetstream.support.web;

import java.util.UUID;

/** Ids from a path or body: anything but a canonical UUID names nothing, answered as that thing's not-found. */
public final class PathIds {

    private PathIds() {
    }

    public static UUID uuid(String value, ErrorCode notFound, String what) {
        try {
            UUID id = UUID.fromString(value);
            if (id.toString().equalsIgnoreCase(value)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw new FleetException(notFound, "No " + what + " " + ClientText.echo(value, 40) + ".");
    }
}
