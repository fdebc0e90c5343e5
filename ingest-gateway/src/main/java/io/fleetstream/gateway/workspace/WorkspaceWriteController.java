package io.fleetstream.gateway.workspace;

import static io.fleetstream.schemas.readmodel.Tables.WORKSPACE;

import io.fleetstream.gateway.command.CommandBus;
import io.fleetstream.gateway.people.People;
import io.fleetstream.schemas.ConsistencyToken;
import io.fleetstream.schemas.workspace.CreateWorkspace;
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
