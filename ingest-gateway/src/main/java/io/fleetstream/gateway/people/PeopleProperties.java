package io.fleetstream.gateway.people;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who administers the platform and who may create workspaces ({@code FLEET_PLATFORM_ADMINS},
 * {@code FLEET_WORKSPACE_CREATORS}).
 *
 * @param platformAdmins    token subjects or e-mail addresses of the platform's administrators (others are
 *                          granted by them); a person named here is made one when next seen
 * @param workspaceCreators {@code everyone} (any signed-in person) or {@code platform-admins}
 */
@ConfigurationProperties("fleet")
public record PeopleProperties(
        @DefaultValue("admin") List<String> platformAdmins,
        @DefaultValue("everyone") String workspaceCreators) {

    public PeopleProperties {
        if (!workspaceCreators.equals("everyone") && !workspaceCreators.equals("platform-admins")) {
            throw new IllegalArgumentException("fleet.workspace-creators must be everyone or platform-admins, not "
                    + workspaceCreators);
        }
    }
}
