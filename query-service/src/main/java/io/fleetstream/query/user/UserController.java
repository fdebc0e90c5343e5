package io.fleetstream.query.user;

import static io.fleetstream.schemas.readmodel.Tables.APP_USER;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE;
import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE_MEMBER;

import io.fleetstream.schemas.readmodel.tables.records.AppUserRecord;
import io.fleetstream.support.errors.UserErrors;
import io.fleetstream.support.security.Person;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** People: yourself, and everyone for platform administrators. */
@RestController
@Tag(name = "Users")
class UserController {

    private static final int MAX_LISTED = 500;

    private final DSLContext db;

    UserController(DSLContext db) {
        this.db = db;
    }

    @GetMapping("/v1/user")
    @Operation(summary = "You: your profile, whether you administer the platform, and your workspaces with your role")
    Map<String, Object> me(Person person) {
        AppUserRecord user = db.selectFrom(APP_USER).where(APP_USER.USER_ID.eq(person.userId())).fetchOptional()
                .orElseThrow(() -> new FleetException(UserErrors.NOT_FOUND, "You are not registered yet; retry in a moment."));
        Map<String, Object> view = view(user);
        view.put("workspaces", db.select(WORKSPACE.WORKSPACE_ID, WORKSPACE.SLUG, WORKSPACE.NAME, WORKSPACE_MEMBER.ROLE)
                .from(WORKSPACE_MEMBER).join(WORKSPACE).on(WORKSPACE.WORKSPACE_ID.eq(WORKSPACE_MEMBER.WORKSPACE_ID))
                .where(WORKSPACE_MEMBER.USER_ID.eq(person.userId()), WORKSPACE.STATUS.ne("DELETED"))
                .orderBy(WORKSPACE.NAME)
                .fetch(r -> Map.of("id", r.value1().toString(), "slug", r.value2(), "name", r.value3(), "role", r.value4())));
        return view;
    }

    @GetMapping("/v1/users")
    @Operation(summary = "Every user (platform administrators only)")
    List<Map<String, Object>> all(Person person) {
        boolean admin = db.select(APP_USER.PLATFORM_ADMIN).from(APP_USER).where(APP_USER.USER_ID.eq(person.userId()))
                .fetchOptional(APP_USER.PLATFORM_ADMIN).orElse(false);
        if (!admin) {
            throw new FleetException(CommonErrors.FORBIDDEN, "Only platform administrators list users.");
        }
        return db.selectFrom(APP_USER).orderBy(APP_USER.EMAIL, APP_USER.USER_ID).limit(MAX_LISTED).fetch(UserController::view);
    }

    private static Map<String, Object> view(AppUserRecord user) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", user.getUserId().toString());
        view.put("email", user.getEmail());
        view.put("name", user.getName() != null ? user.getName() : user.getClaimedName());
        view.put("platformAdmin", user.getPlatformAdmin());
        view.put("defaultWorkspace", user.getDefaultWorkspace());
        view.put("timezone", user.getTimezone());
        return view;
    }
}
