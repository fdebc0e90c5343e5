package io.fleetstream.query.search;

import static io.fleetstream.schemas.readmodel.Tables.APP_USER;
import static io.fleetstream.schemas.readmodel.Tables.DEVICE;
import static io.fleetstream.schemas.readmodel.Tables.TEAM;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE_MEMBER;

import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.WorkspaceRoute;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One box that finds things in a workspace: devices by name or hardware id, members by name or e-mail,
 * teams by name — a few of each, those that start with the text first. Each part is there only for a
 * caller who may read that area (a key needs its {@code <area>:read} scope as well).
 */
@RestController
@Tag(name = "Search")
class SearchController {

    static final int MAX_QUERY = 100;
    static final int DEFAULT_LIMIT = 5;
    static final int MAX_LIMIT = 25;

    private final DSLContext db;

    SearchController(DSLContext db) {
        this.db = db;
    }

    @GetMapping("/v1/workspaces/{workspace}/search")
    @Operation(summary = "Find devices (name, hardware id), members (name, e-mail) and teams (name) of the workspace",
            description = "Matches a part of the text without case. Each list holds at most `limit` (default 5, at most "
                    + "25) entries; devices, members and teams appear only for callers who may read them.")
    @WorkspaceRoute(scope = "workspace:read")
    Map<String, Object> search(Grant grant, @RequestParam(required = false) @Nullable String q,
            @RequestParam(required = false) @Nullable Integer limit) {
        String text = q == null ? "" : q.strip();
        // control characters and broken UTF-8 never get here: RequestTextGuardFilter refuses them for every route
        if (text.isEmpty() || text.length() > MAX_QUERY) {
            throw new FleetException(CommonErrors.INVALID_REQUEST, "q must be 1 to " + MAX_QUERY
                    + " characters of text to look for.");
        }
        int count = limit == null ? DEFAULT_LIMIT : limit;
        if (count < 1 || count > MAX_LIMIT) {
            throw new FleetException(CommonErrors.INVALID_REQUEST, "limit must be 1 to " + MAX_LIMIT + ".");
        }
        Map<String, Object> found = new LinkedHashMap<>();
        found.put("q", text);
        found.put("devices", readable(grant, "devices") ? devices(grant, text, count) : List.of());
        found.put("members", readable(grant, "members") ? members(grant, text, count) : List.of());
        found.put("teams", readable(grant, "teams") ? teams(grant, text, count) : List.of());
        return found;
    }

    private static boolean readable(Grant grant, String area) {
        return grant.allows(CommandSpec.Access.VIEWER, area + ":read");
    }

    private List<Map<String, Object>> devices(Grant grant, String text, int count) {
        return db.select(DEVICE.DEVICE_ID, DEVICE.NAME, DEVICE.HARDWARE_ID, DEVICE.DEVICE_TYPE, DEVICE.STATUS, DEVICE.TEAM_ID)
                .from(DEVICE)
                .where(DEVICE.WORKSPACE_ID.eq(grant.workspaceId().toString()),
                        DEVICE.NAME.containsIgnoreCase(text).or(DEVICE.HARDWARE_ID.containsIgnoreCase(text)))
                .orderBy(DSL.when(DEVICE.NAME.startsWithIgnoreCase(text)
                                .or(DEVICE.HARDWARE_ID.startsWithIgnoreCase(text)), 0).else_(1),
                        DSL.when(DEVICE.STATUS.eq("ACTIVE"), 0).else_(1), DEVICE.NAME, DEVICE.DEVICE_ID)
                .limit(count)
                .fetch(r -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("id", r.value1().toString());
                    view.put("name", r.value2());
                    view.put("hardwareId", r.value3());
                    view.put("type", r.value4());
                    view.put("status", r.value5().toLowerCase(Locale.ROOT));
                    view.put("teamId", r.value6() == null ? null : r.value6().toString());
                    return view;
                });
    }

    private List<Map<String, Object>> members(Grant grant, String text, int count) {
        Field<String> name = DSL.coalesce(APP_USER.NAME, APP_USER.CLAIMED_NAME);
        return db.select(WORKSPACE_MEMBER.USER_ID, name, APP_USER.EMAIL, WORKSPACE_MEMBER.ROLE)
                .from(WORKSPACE_MEMBER)
                .join(APP_USER).on(APP_USER.USER_ID.eq(WORKSPACE_MEMBER.USER_ID))
                .where(WORKSPACE_MEMBER.WORKSPACE_ID.eq(grant.workspaceId()),
                        name.containsIgnoreCase(text).or(APP_USER.EMAIL.containsIgnoreCase(text)))
                .orderBy(DSL.when(name.startsWithIgnoreCase(text)
                                .or(APP_USER.EMAIL.startsWithIgnoreCase(text)), 0).else_(1),
                        name.nullsLast(), APP_USER.EMAIL, WORKSPACE_MEMBER.USER_ID)
                .limit(count)
                .fetch(r -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("userId", r.value1().toString());
                    view.put("name", r.value2());
                    view.put("email", r.value3());
                    view.put("role", r.value4().toLowerCase(Locale.ROOT));
                    return view;
                });
    }

    private List<Map<String, Object>> teams(Grant grant, String text, int count) {
        return db.select(TEAM.TEAM_ID, TEAM.NAME).from(TEAM)
                .where(TEAM.WORKSPACE_ID.eq(grant.workspaceId()), TEAM.NAME.containsIgnoreCase(text))
                .orderBy(DSL.when(TEAM.NAME.startsWithIgnoreCase(text), 0).else_(1), TEAM.NAME, TEAM.TEAM_ID)
                .limit(count)
                .fetch(r -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("id", r.value1().toString());
                    view.put("name", r.value2());
                    return view;
                });
    }
}
