package io.fleetstream.gateway.people;

import io.fleetstream.gateway.command.CommandBus;
import io.fleetstream.schemas.ConsistencyToken;
import io.fleetstream.schemas.user.UpdateUserProfile;
import io.fleetstream.support.security.Person;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A person's own profile. */
@RestController
@Tag(name = "Users")
class UserWriteController {

    private final CommandBus commands;
    private final People people;

    UserWriteController(CommandBus commands, People people) {
        this.commands = commands;
        this.people = people;
    }

    /** What may change; absent fields stay as they are. */
    record ProfileChange(@Nullable String name, @Nullable String defaultWorkspace, @Nullable String timezone) {
    }

    @PatchMapping(path = "/v1/user", consumes = {"application/json", "application/merge-patch+json"})
    @Operation(summary = "Change your name, default workspace or timezone")
    CompletableFuture<ResponseEntity<Map<String, Object>>> update(Person person, @RequestBody ProfileChange change) {
        people.ensure(person);
        UpdateUserProfile command = UpdateUserProfile.newBuilder().setUserId(person.userId().toString())
                .setName(change.name()).setDefaultWorkspace(change.defaultWorkspace()).setTimezone(change.timezone())
                .build();
        return commands.send(CommandBus.PLATFORM, person, command).thenApply(accepted -> ResponseEntity.ok()
                .header(ConsistencyToken.HEADER, accepted.consistency().toString())
                .body(Map.<String, Object>of("id", person.userId().toString(), "version", accepted.consistency().version())));
    }
}
