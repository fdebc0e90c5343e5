package io.fleetstream.support.errors;

import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.ErrorCode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every error code any service answers, one catalog class per bounded context: a contract clients switch
 * on, like the schemas. Services raise errors only through these entries, so a code that reaches a caller
 * always has its status, title and remedy; the build's test checks the catalog (unique codes, a remedy for
 * each, a {@code <type>.not-found} and {@code <type>.exists} for every aggregate type a command declares).
 */
public final class ErrorCatalog {

    /** The catalogs, one per bounded context. Add a new context's class here. */
    public static final List<Class<?>> CATALOGS = List.of(CommonErrors.class, ApiKeyErrors.class, CommandErrors.class,
            ConsistencyErrors.class, DeviceErrors.class, HistoryErrors.class, RateLimitErrors.class,
            TeamErrors.class, TelemetryErrors.class, UserErrors.class, WorkspaceErrors.class);

    private static final Map<String, ErrorCode> BY_CODE = index();

    private ErrorCatalog() {
    }

    private static Map<String, ErrorCode> index() {
        Map<String, ErrorCode> entries = new LinkedHashMap<>();
        for (Class<?> catalog : CATALOGS) {
            for (Field field : catalog.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && ErrorCode.class.isAssignableFrom(field.getType())) {
                    try {
                        ErrorCode entry = (ErrorCode) field.get(null);
                        ErrorCode before = entries.putIfAbsent(entry.code(), entry);
                        if (before != null && before != entry) {
                            throw new IllegalStateException("error code " + entry.code() + " is declared twice");
                        }
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(catalog.getName() + "." + field.getName() + " is not public", e);
                    }
                }
            }
        }
        return Collections.unmodifiableMap(entries);
    }

    /** Every entry, in catalog order. */
    public static List<ErrorCode> all() {
        return new ArrayList<>(BY_CODE.values());
    }

    public static Optional<ErrorCode> find(String code) {
        return Optional.ofNullable(code).map(BY_CODE::get);
    }

    /** The refusal of a command for an aggregate that does not exist in its workspace, for any aggregate type. */
    public static ErrorCode notFound(String aggregateType) {
        return required(aggregateType + ".not-found");
    }

    /** The refusal of a creating command whose aggregate id is taken, for any aggregate type. */
    public static ErrorCode exists(String aggregateType) {
        return required(aggregateType + ".exists");
    }

    private static ErrorCode required(String code) {
        return find(code).orElseThrow(() -> new IllegalStateException("no catalog entry for " + code));
    }
}
