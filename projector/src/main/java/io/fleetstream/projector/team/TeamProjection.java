package io.fleetstream.projector.team;

import static io.fleetstream.schemas.readmodel.Tables.TEAM;
import static io.fleetstream.schemas.readmodel.Tables.TEAM_MEMBER;

import io.fleetstream.projector.projection.EventProjection;
import io.fleetstream.projector.projection.EventSupport;
import io.fleetstream.schemas.team.TeamCreated;
import io.fleetstream.schemas.team.TeamDeleted;
import io.fleetstream.schemas.team.TeamMemberAdded;
import io.fleetstream.schemas.team.TeamMemberRemoved;
import io.fleetstream.schemas.team.TeamRenamed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The teams of every workspace and their members. A deleted team's row goes (its history stays in the
 * events); the team row carries the version it reflects, member events included.
 */
@Component
public class TeamProjection extends EventProjection {

    public static final String NAME = "projector-teams";

    TeamProjection(EventSupport support) {
        super(NAME, Set.of("team"), List.of(TEAM, TEAM_MEMBER), support);
        on(TeamCreated.class, e -> {
            int changed = db().insertInto(TEAM).set(TEAM.TEAM_ID, e.uuid())
                    .set(TEAM.WORKSPACE_ID, UUID.fromString(e.payload().getWorkspaceId())).set(TEAM.NAME, e.payload().getName())
                    .set(TEAM.CREATED_AT, e.at()).set(TEAM.UPDATED_AT, e.at()).set(TEAM.VERSION, e.sequence())
                    .onConflict(TEAM.TEAM_ID).doNothing().execute();
            return new Change(changed > 0, "team.created", Map.of("name", e.payload().getName()));
        });
        on(TeamRenamed.class, e -> {
            boolean fresh = advance(e);
            if (fresh) {
                db().update(TEAM).set(TEAM.NAME, e.payload().getName()).where(TEAM.TEAM_ID.eq(e.uuid())).execute();
            }
            return new Change(fresh, "team.updated", Map.of("name", e.payload().getName()));
        });
        on(TeamDeleted.class, e -> {
            boolean fresh = advance(e);
            if (fresh) {
                db().deleteFrom(TEAM_MEMBER).where(TEAM_MEMBER.TEAM_ID.eq(e.uuid())).execute();
                db().deleteFrom(TEAM).where(TEAM.TEAM_ID.eq(e.uuid())).execute();
            }
            return new Change(fresh, "team.deleted", Map.of());
        });
        on(TeamMemberAdded.class, e -> {
            boolean fresh = advance(e);
            if (fresh) {
                db().insertInto(TEAM_MEMBER).set(TEAM_MEMBER.TEAM_ID, e.uuid())
                        .set(TEAM_MEMBER.USER_ID, UUID.fromString(e.payload().getUserId())).set(TEAM_MEMBER.ADDED_AT, e.at())
                        .onConflictDoNothing().execute();
            }
            return new Change(fresh, "team.member-added", Map.of("userId", e.payload().getUserId()));
        });
        on(TeamMemberRemoved.class, e -> {
            boolean fresh = advance(e);
            if (fresh) {
                db().deleteFrom(TEAM_MEMBER).where(TEAM_MEMBER.TEAM_ID.eq(e.uuid()),
                        TEAM_MEMBER.USER_ID.eq(UUID.fromString(e.payload().getUserId()))).execute();
            }
            return new Change(fresh, "team.member-removed", Map.of("userId", e.payload().getUserId()));
        });
    }

    private boolean advance(Event<?> event) {
        return db().update(TEAM).set(TEAM.VERSION, event.sequence()).set(TEAM.UPDATED_AT, event.at())
                .where(TEAM.TEAM_ID.eq(event.uuid()), TEAM.VERSION.lt(event.sequence())).execute() == 1;
    }

    /** The team with its members, as it was after the event; nothing once deleted. */
    @Override
    protected Optional<Object> state(Event<?> event) {
        return db().selectFrom(TEAM).where(TEAM.TEAM_ID.eq(event.uuid())).fetchOptional().map(t -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", t.getTeamId().toString());
            view.put("name", t.getName());
            view.put("version", t.getVersion());
            view.put("members", db().select(TEAM_MEMBER.USER_ID).from(TEAM_MEMBER).where(TEAM_MEMBER.TEAM_ID.eq(t.getTeamId()))
                    .orderBy(TEAM_MEMBER.USER_ID).fetch(r -> r.value1().toString()));
            return view;
        });
    }
}
