package io.fleetstream.query.audit;

import static io.fleetstream.schemas.readmodel.Tables.API_KEY;
import static io.fleetstream.schemas.readmodel.Tables.APP_USER;
import static io.fleetstream.schemas.readmodel.Tables.AUDIT_ENTRY;

import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.schemas.readmodel.tables.records.AuditEntryRecord;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.WorkspaceGrants;
import io.fleetstream.support.access.WorkspaceRoute;
import io.fleetstream.support.errors.HistoryErrors;
import io.fleetstream.support.security.Person;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who did what: every accepted command and every refused write of a workspace, newest first, from the
 * recorded answers of the command path. Platform administrators also read the platform's own log
 * (people registered, platform administrators granted, workspaces created) across workspaces.
 */
@RestController
@Tag(name = "Audit")
class AuditController {

    static final String NDJSON = "application/x-ndjson";
    private static final int MAX_LIMIT = 500;

    private final DSLContext db;
    private final WorkspaceGrants grants;
    private final JsonMapper json;

    AuditController(DSLContext db, WorkspaceGrants grants, JsonMapper json) {
        this.db = db;
        this.grants = grants;
        this.json = json;
    }

    @GetMapping(path = "/v1/workspaces/{workspace}/audit-log", produces = NDJSON)
    @Operation(summary = "The workspace's whole audit log as newline-delimited JSON (an export)")
    @WorkspaceRoute(scope = "audit:read", access = CommandSpec.Access.ADMIN)
    ResponseEntity<StreamingResponseBody> workspaceExport(Grant grant,
            @RequestParam(required = false) String actor, @RequestParam(required = false) String action,
            @RequestParam(required = false) String target, @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        List<Condition> where = filters(actor, action, target, outcome, from, to);
        where.add(AUDIT_ENTRY.WORKSPACE_ID.eq(grant.workspaceId().toString()));
        return exportOf(where);
    }

    @GetMapping(path = "/v1/audit-log", produces = NDJSON)
    @Operation(summary = "The audit log across workspaces as newline-delimited JSON (platform administrators)")
    ResponseEntity<StreamingResponseBody> platformExport(Person person, @RequestParam(required = false) String workspace,
            @RequestParam(required = false) String actor, @RequestParam(required = false) String action,
            @RequestParam(required = false) String target, @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return exportOf(platformFilters(person, workspace, actor, action, target, outcome, from, to));
    }

    private ResponseEntity<StreamingResponseBody> exportOf(List<Condition> where) {
        StreamingResponseBody body = out -> export(where, out);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(NDJSON)).body(body);
    }

    @GetMapping(path = "/v1/workspaces/{workspace}/audit-log", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The workspace's audit log, newest first (owner or admin, or a key with audit:read)",
            description = "Each entry: {at, actor: {kind, id, name}, action, target: {type, id}, outcome: accepted|rejected, "
                    + "code, commandId, requestId}. Pages with 'cursor'; with Accept: application/x-ndjson, every entry "
                    + "matching the filters, one JSON object a line (an export).")
    @WorkspaceRoute(scope = "audit:read", access = CommandSpec.Access.ADMIN)
    Map<String, Object> workspaceLog(Grant grant,
            @Parameter(description = "an actor's id (user, key or service)") @RequestParam(required = false) String actor,
            @Parameter(description = "a command type, e.g. RegisterDevice") @RequestParam(required = false) String action,
            @Parameter(description = "a target's id") @RequestParam(required = false) String target,
            @Parameter(description = "accepted or rejected") @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "100") int limit) {
        List<Condition> where = filters(actor, action, target, outcome, from, to);
        where.add(AUDIT_ENTRY.WORKSPACE_ID.eq(grant.workspaceId().toString()));
        return page(where, cursor, limit);
    }

    @GetMapping(path = "/v1/audit-log", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The audit log across workspaces and of the platform itself (platform administrators)",
            description = "As the workspace's log, each entry with its workspaceId ('#platform' for the platform's own).")
    Map<String, Object> platformLog(Person person, @RequestParam(required = false) String workspace,
            @RequestParam(required = false) String actor, @RequestParam(required = false) String action,
            @RequestParam(required = false) String target, @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "100") int limit) {
        return page(platformFilters(person, workspace, actor, action, target, outcome, from, to), cursor, limit);
    }

    private List<Condition> platformFilters(Person person, @Nullable String workspace, String actor, String action,
            String target, String outcome, String from, String to) {
        if (!grants.isPlatformAdmin(person.userId())) {
            throw new FleetException(CommonErrors.FORBIDDEN, "Only platform administrators read the platform's audit log.");
        }
        List<Condition> where = filters(actor, action, target, outcome, from, to);
        if (workspace != null) {
            where.add(AUDIT_ENTRY.WORKSPACE_ID.eq(bounded("workspace", workspace)));
        }
        return where;
    }

    private Map<String, Object> page(List<Condition> where, @Nullable String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw bad("limit must be between 1 and " + MAX_LIMIT);
        }
        if (cursor != null) {
            where.add(DSL.row(AUDIT_ENTRY.AT, AUDIT_ENTRY.COMMAND_ID).lt(decode(cursor)));
        }
        List<AuditEntryRecord> rows = db.selectFrom(AUDIT_ENTRY).where(where)
                .orderBy(AUDIT_ENTRY.AT.desc(), AUDIT_ENTRY.COMMAND_ID.desc()).limit(limit + 1).fetch();
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            AuditEntryRecord last = rows.get(limit - 1);
            next = encode(last.getAt(), last.getCommandId());
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", views(rows));
        page.put("nextCursor", next);
        return page;
    }

    private void export(List<Condition> where, OutputStream out) throws java.io.IOException {
        try (var cursor = db.selectFrom(AUDIT_ENTRY).where(where)
                .orderBy(AUDIT_ENTRY.AT.desc(), AUDIT_ENTRY.COMMAND_ID.desc()).fetchSize(500).fetchLazy()) {
            List<AuditEntryRecord> chunk = new ArrayList<>(500);
            while (cursor.hasNext()) {
                chunk.add(cursor.fetchNext());
                if (chunk.size() == 500 || !cursor.hasNext()) {
                    for (Map<String, Object> view : views(chunk)) {
                        out.write(json.writeValueAsBytes(view));
                        out.write('\n');
                    }
                    out.flush();
                    chunk.clear();
                }
            }
        }
    }

    /** Entries as the API shows them, with the names of the people and keys who acted. */
    private List<Map<String, Object>> views(List<AuditEntryRecord> rows) {
        Map<String, String> names = new HashMap<>();
        List<UUID> users = rows.stream().filter(r -> r.getActorKind().equals("USER")).map(r -> uuid(r.getActorId()))
                .filter(java.util.Objects::nonNull).distinct().toList();
        List<UUID> keys = rows.stream().filter(r -> r.getActorKind().equals("API_KEY")).map(r -> uuid(r.getActorId()))
                .filter(java.util.Objects::nonNull).distinct().toList();
        if (!users.isEmpty()) {
            db.select(APP_USER.USER_ID, DSL.coalesce(APP_USER.NAME, APP_USER.CLAIMED_NAME, APP_USER.EMAIL)).from(APP_USER)
                    .where(APP_USER.USER_ID.in(users)).forEach(r -> names.put(r.value1().toString(), r.value2()));
        }
        if (!keys.isEmpty()) {
            db.select(API_KEY.KEY_ID, API_KEY.NAME).from(API_KEY).where(API_KEY.KEY_ID.in(keys))
                    .forEach(r -> names.put(r.value1().toString(), r.value2()));
        }
        return rows.stream().map(r -> {
            Map<String, Object> actor = new LinkedHashMap<>();
            actor.put("kind", r.getActorKind().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            actor.put("id", r.getActorId());
            actor.put("name", names.getOrDefault(r.getActorId(), r.getActorKind().equals("SYSTEM") ? r.getActorId() : null));
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("at", r.getAt().toInstant().toString());
            view.put("workspaceId", r.getWorkspaceId());
            view.put("actor", actor);
            view.put("action", r.getAction());
            view.put("target", Map.of("type", r.getTargetType(), "id", r.getTargetId()));
            view.put("outcome", r.getOutcome());
            view.put("code", r.getCode());
            view.put("commandId", r.getCommandId());
            view.put("requestId", r.getRequestId());
            return view;
        }).toList();
    }

    private static List<Condition> filters(String actor, String action, String target, String outcome, String from,
            String to) {
        List<Condition> where = new ArrayList<>();
        if (actor != null) {
            where.add(AUDIT_ENTRY.ACTOR_ID.eq(bounded("actor", actor)));
        }
        if (action != null) {
            where.add(AUDIT_ENTRY.ACTION.eq(bounded("action", action)));
        }
        if (target != null) {
            where.add(AUDIT_ENTRY.TARGET_ID.eq(bounded("target", target)));
        }
        if (outcome != null) {
            if (!outcome.equals("accepted") && !outcome.equals("rejected")) {
                throw bad("outcome must be accepted or rejected");
            }
            where.add(AUDIT_ENTRY.OUTCOME.eq(outcome));
        }
        if (from != null) {
            where.add(AUDIT_ENTRY.AT.ge(instant("from", from)));
        }
        if (to != null) {
            where.add(AUDIT_ENTRY.AT.lt(instant("to", to)));
        }
        return where;
    }

    private static String bounded(String name, String value) {
        if (value.isEmpty() || value.length() > 255 || io.fleetstream.support.web.ClientText.firstForbidden(value) >= 0) {
            throw bad(name + " must be 1 to 255 printable characters");
        }
        return value;
    }

    private static OffsetDateTime instant(String name, String value) {
        try {
            Instant at = Instant.parse(value);
            if (at.isBefore(Instant.EPOCH) || at.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
                throw bad(name + " must lie between 1970 and 9999");
            }
            return at.atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new FleetException(HistoryErrors.BAD_INSTANT, "'" + name + "' must be an ISO-8601 instant such as "
                    + "2026-01-31T12:00:00Z.");
        }
    }

    private static String encode(OffsetDateTime at, String commandId) {
        String raw = at.toInstant().toString() + "|" + commandId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static org.jooq.Row2<OffsetDateTime, String> decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            return DSL.row(Instant.parse(raw.substring(0, bar)).atOffset(ZoneOffset.UTC), bounded("cursor", raw.substring(bar + 1)));
        } catch (RuntimeException e) {
            throw bad("cursor is not one this log answered");
        }
    }

    private static @Nullable UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static FleetException bad(String message) {
        return new FleetException(CommonErrors.INVALID_REQUEST, message);
    }
}
