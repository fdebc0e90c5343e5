package io.fleetstream.gateway.workspace;

import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE;

import io.fleetstream.gateway.command.CommandBus;
import io.fleetstream.gateway.people.People;
import io.fleetstream.schemas.ConsistencyToken;
import io.fleetstream.schemas.workspace.ArchiveWorkspace;
import io.fleetstream.schemas.workspace.CreateWorkspace;
import io.fleetstream.schemas.workspace.DeleteWorkspace;
import io.fleetstream.schemas.workspace.RestoreWorkspace;
import io.fleetstream.schemas.workspace.UpdateWorkspace;
import io.fleetstream.support.access.Grant;
import io.fleetstream.support.access.WorkspaceRoute;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import io.fleetstream.support.errors.WorkspaceErrors;
import io.fleetstream.support.security.Person;
import io.fleetstream.support.web.CommonErrors;
import io.fleetstream.support.web.FleetException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Creating workspaces. The creator becomes the owner. */
@RestController
@Tag(name = "Workspaces")
class WorkspaceWriteController {

    /** A slug made from a name that is taken gets a suffix; a few tries, then the caller chooses. */
    private static final int SLUG_ATTEMPTS = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CommandBus commands;
    private final People people;
    private final DSLContext db;

    WorkspaceWriteController(CommandBus commands, People people, DSLContext db) {
        this.commands = commands;
        this.people = people;
        this.db = db;
    }

    /** The body of a new workspace. */
    record NewWorkspace(String name, @Nullable String slug, @Nullable String timezone) {
    }

    @PostMapping(path = "/v1/workspaces", consumes = "application/json")
    @Operation(summary = "Create a workspace; you become its owner",
            description = "The slug is made from the name when none is given (lowercase, dashes; a suffix is added "
                    + "when that one is taken); a given slug that is taken answers 409 workspace.slug-taken.")
    ResponseEntity<Map<String, Object>> create(Person person, @RequestBody NewWorkspace body) {
        if (body.name() == null) {
            throw new FleetException(CommonErrors.INVALID_REQUEST, "A workspace needs a name.",
                    Map.of("errors", java.util.List.of(Map.of("field", "name", "message", "is required"))));
        }
        people.ensure(person);
        if (!people.mayCreateWorkspaces(person)) {
            throw new FleetException(CommonErrors.FORBIDDEN, "Only platform administrators create workspaces here.");
        }
        String timezone = body.timezone() == null ? "UTC" : body.timezone();
        for (int attempt = 0; ; attempt++) {
            String slug = body.slug() != null ? body.slug() : slugFor(body.name(), attempt);
            UUID id = UUID.randomUUID();
            CreateWorkspace command = CreateWorkspace.newBuilder().setWorkspaceId(id.toString()).setName(body.name())
                    .setSlug(slug).setTimezone(timezone).setOwnerId(person.userId().toString()).build();
            try {
                CommandBus.Accepted accepted = commands.send(id.toString(), person, command).join();
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("id", id.toString());
                view.put("slug", slug);
                view.put("name", body.name());
                view.put("timezone", timezone);
                view.put("archived", false);
                return ResponseEntity.created(URI.create("/v1/workspaces/" + id))
                        .header(ConsistencyToken.HEADER, accepted.consistency().toString()).body(view);
            } catch (CompletionException e) {
                boolean made = body.slug() == null && e.getCause() instanceof FleetException fleet
                        && fleet.error().code().equals(WorkspaceErrors.SLUG_TAKEN.code());
                if (!made || attempt + 1 >= SLUG_ATTEMPTS) {
                    throw e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }
        }
    }

    /** Changes of a workspace; absent fields stay as they are. */
    record WorkspaceChange(@Nullable String name, @Nullable String slug, @Nullable String timezone) {
    }

    @PatchMapping(path = "/v1/workspaces/{workspace}", consumes = {"application/json", "application/merge-patch+json"})
    @Operation(summary = "Rename a workspace, change its slug or timezone (owner or admin)",
            description = "409 workspace.slug-taken when another workspace has the slug; 409 workspace.archived when archived.")
    @WorkspaceRoute(command = UpdateWorkspace.class)
    ResponseEntity<Map<String, Object>> update(Grant grant, @RequestBody WorkspaceChange body) {
        UpdateWorkspace command = UpdateWorkspace.newBuilder().setWorkspaceId(grant.workspaceId().toString())
                .setName(body.name()).setSlug(body.slug()).setTimezone(body.timezone()).build();
        return answer(grant, command, HttpStatus.OK);
    }

    @PostMapping("/v1/workspaces/{workspace}/archive")
    @Operation(summary = "Archive a workspace (owner or admin): it stays readable, every write answers 409 workspace.archived")
    @WorkspaceRoute(command = ArchiveWorkspace.class)
    ResponseEntity<Map<String, Object>> archive(Grant grant) {
        return answer(grant, ArchiveWorkspace.newBuilder().setWorkspaceId(grant.workspaceId().toString()).build(),
                HttpStatus.OK);
    }

    @PostMapping("/v1/workspaces/{workspace}/restore")
    @Operation(summary = "Restore an archived workspace (owner or admin)")
    @WorkspaceRoute(command = RestoreWorkspace.class)
    ResponseEntity<Map<String, Object>> restore(Grant grant) {
        return answer(grant, RestoreWorkspace.newBuilder().setWorkspaceId(grant.workspaceId().toString()).build(),
                HttpStatus.OK);
    }

    @DeleteMapping("/v1/workspaces/{workspace}")
    @Operation(summary = "Delete an archived workspace (owner or platform admin)",
            description = "409 workspace.not-archived unless archived first. Its history stays.")
    @WorkspaceRoute(command = DeleteWorkspace.class)
    ResponseEntity<Map<String, Object>> delete(Grant grant) {
        return answer(grant, DeleteWorkspace.newBuilder().setWorkspaceId(grant.workspaceId().toString()).build(),
                HttpStatus.NO_CONTENT);
    }

    private ResponseEntity<Map<String, Object>> answer(Grant grant, org.apache.avro.specific.SpecificRecord command,
            HttpStatus status) {
        CommandBus.Accepted accepted = CommandBus.await(commands.send(grant, command));
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status)
                .header(ConsistencyToken.HEADER, accepted.consistency().toString());
        return status == HttpStatus.NO_CONTENT ? answer.build()
                : answer.body(Map.of("id", grant.workspaceId().toString(), "version", accepted.consistency().version()));
    }


    /** A slug from a name: lowercase letters, digits and dashes; with a suffix when the plain one is taken. */
    private String slugFor(String name, int attempt) {
        String plain = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (plain.length() > 48) {
            plain = plain.substring(0, 48).replaceAll("-+$", "");
        }
        if (plain.isEmpty()) {
            plain = "workspace";
        }
        if (attempt == 0 && !db.fetchExists(WORKSPACE, WORKSPACE.SLUG.eq(plain), WORKSPACE.STATUS.ne("DELETED"))) {
            return plain;
        }
        return plain + "-" + Integer.toString(RANDOM.nextInt(36 * 36 * 36 * 36), 36);
    }
}
