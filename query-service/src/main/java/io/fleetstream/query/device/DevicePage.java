package io.fleetstream.query.device;

import java.util.List;

/** One page of devices; pass {@code nextCursor} back as {@code cursor} for the next page (null on the last). */
public record DevicePage(List<DeviceView> items, String nextCursor) {
}
