package io.fleetstream.command.workspace;

import io.fleetstream.command.intake.CommandRejectedException;
import io.fleetstream.schemas.workspace.WorkspaceCreated;
import io.fleetstream.schemas.workspace.WorkspaceDeleted;
import io.fleetstream.schemas.workspace.WorkspaceUpdated;
import io.fleetstream.support.errors.WorkspaceErrors;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps a slug naming one workspace. Runs in the subscribing processing group {@value #GROUP}, inside the
 * command's own transaction: a taken slug rolls back the creation or the change, and a renamed or deleted
 * workspace frees its old slug in the same commit.
 */
@Component
@ProcessingGroup(SlugClaims.GROUP)
class SlugClaims {

    static final String GROUP = "workspace-slugs";

    private final JdbcTemplate jdbc;

    SlugClaims(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(WorkspaceCreated event) {
        claim(event.getSlug(), event.getWorkspaceId());
    }

    @EventHandler
    void on(WorkspaceUpdated event) {
        jdbc.update("delete from workspace_slug where workspace_id = ? and slug <> ?", event.getWorkspaceId(),
                event.getSlug());
        claim(event.getSlug(), event.getWorkspaceId());
    }

    @EventHandler
    void on(WorkspaceDeleted event) {
        jdbc.update("delete from workspace_slug where workspace_id = ?", event.getWorkspaceId());
    }

    private void claim(String slug, String workspaceId) {
        jdbc.update("insert into workspace_slug (slug, workspace_id) values (?, ?) on conflict do nothing", slug,
                workspaceId);
        String holder = jdbc.queryForObject("select workspace_id from workspace_slug where slug = ?", String.class, slug);
        if (!workspaceId.equals(holder)) {
            throw new CommandRejectedException(WorkspaceErrors.SLUG_TAKEN, "The slug " + slug
                    + " belongs to another workspace");
        }
    }
}
