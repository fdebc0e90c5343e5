package io.fleetstream.schemas;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read-your-writes token, sent as the {@code Fleet-Consistency} header: the version an aggregate
 * reached with a command. A query that passes it back waits until the read model has applied that
 * version. Clients treat it as opaque.
 */
public record ConsistencyToken(String aggregateType, UUID aggregateId, long version) {

    public static final String HEADER = "Fleet-Consistency";
    private static final Pattern FORMAT = Pattern.compile("([a-z][a-z-]{0,31})/([0-9a-fA-F-]{36})@(\\d{1,18})");

    public ConsistencyToken {
        if (!aggregateType.matches("[a-z][a-z-]{0,31}") || version < 0) {
            throw new IllegalArgumentException("bad consistency token " + aggregateType + "/" + aggregateId + "@" + version);
        }
    }

    public static Optional<ConsistencyToken> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher matcher = FORMAT.matcher(value.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ConsistencyToken(matcher.group(1), UUID.fromString(matcher.group(2)),
                    Long.parseLong(matcher.group(3))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return aggregateType + "/" + aggregateId + "@" + version;
    }
}
