package io.fleetstream.schemas;

import java.time.ZoneId;

/** Time zones as contracts name them: IANA region names (and UTC), not fixed offsets such as GMT+5. */
public final class TimeZones {

    private TimeZones() {
    }

    public static boolean isKnown(String zone) {
        return zone != null && ZoneId.getAvailableZoneIds().contains(zone);
    }
}
