package io.fleetstream.support.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.support.security.ApiKey;
import io.fleetstream.support.security.ApiKeySecrets;
import io.fleetstream.support.security.Role;
import io.fleetstream.support.web.FleetException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ScopesTest {

    @Test
    void writeImpliesRead_andStarCoversEveryArea() {
        assertThat(Scopes.allows(Set.of("devices:write"), "devices:read")).isTrue();
        assertThat(Scopes.allows(Set.of("devices:read"), "devices:write")).isFalse();
        assertThat(Scopes.allows(Set.of("devices:read"), "telemetry:read")).isFalse();
        assertThat(Scopes.allows(Set.of("*:read"), "audit:read")).isTrue();
        assertThat(Scopes.allows(Set.of("*:read"), "audit:write")).isFalse();
        assertThat(Scopes.allows(Set.of("*:write"), "members:write")).isTrue();
        assertThat(Scopes.allows(Set.of("*:write"), "platform")).isFalse();
    }

    @Test
    void unknownAreasAndShapes_areRefused() {
        assertThat(Scopes.parse(List.of("devices:read", "devices:read", "*:write"))).containsExactly("*:write", "devices:read");
        for (List<String> bad : List.of(List.<String>of(), List.of("things:read"), List.of("devices:delete"),
                List.of("devices"), List.of("DEVICES:READ"), List.of(" devices:read"))) {
            assertThatThrownBy(() -> Scopes.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aKey_needsItsScope_andNeverExceedsItsCreatorsRole() {
        ApiKey key = new ApiKey(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "ci", Set.of("devices:write"), null,
                java.time.Instant.now());
        Grant asMember = new Grant(key.workspaceId(), "acme", "ACTIVE", Role.MEMBER, false, key);
        asMember.require(CommandSpec.Access.MEMBER, "devices:write");
        assertThatThrownBy(() -> asMember.requireRead("telemetry")).isInstanceOfSatisfying(FleetException.class,
                e -> assertThat(e.error().code()).isEqualTo("auth.scope-missing"));
        Grant asViewer = new Grant(key.workspaceId(), "acme", "ACTIVE", Role.VIEWER, false, key);
        assertThatThrownBy(() -> asViewer.require(CommandSpec.Access.MEMBER, "devices:write"))
                .isInstanceOfSatisfying(FleetException.class, e -> assertThat(e.error().code()).isEqualTo("auth.forbidden"));
    }

    @Test
    void secrets_haveTheirShape_andOnlyTheirHashIsKept() {
        String secret = ApiKeySecrets.newSecret();
        assertThat(ApiKeySecrets.plausible(secret)).isTrue();
        assertThat(ApiKeySecrets.prefix(secret)).hasSize(12).startsWith("fsk_");
        assertThat(ApiKeySecrets.hash(secret)).hasSize(64).doesNotContain(secret.substring(13));
        assertThat(ApiKeySecrets.plausible(secret + "x")).isFalse();
    }
}
