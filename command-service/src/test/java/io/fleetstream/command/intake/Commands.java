package io.fleetstream.command.intake;

import io.fleetstream.schemas.command.ActorKind;
import io.fleetstream.support.web.ErrorCode;
import java.util.Map;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

/** What aggregate fixture tests share: the metadata commands carry, their events' and refusals by code. */
public final class Commands {

    private Commands() {
    }

    /** The metadata of a command of a workspace sent by a person. */
    public static Map<String, Object> by(String workspaceId, String userId) {
        return Map.of(CommandMetadata.WORKSPACE_ID, workspaceId, CommandMetadata.ACTOR_KIND, ActorKind.USER.name(),
                CommandMetadata.ACTOR_ID, userId);
    }

    /** The metadata of a command the platform sends itself. */
    public static Map<String, Object> bySystem(String workspaceId) {
        return Map.of(CommandMetadata.WORKSPACE_ID, workspaceId, CommandMetadata.ACTOR_KIND, ActorKind.SYSTEM.name(),
                CommandMetadata.ACTOR_ID, "test");
    }

    /** An earlier event of a workspace, as a fixture's given. */
    public static EventMessage<?> past(String workspaceId, Object event) {
        return GenericEventMessage.asEventMessage(event).andMetaData(Map.of(CommandMetadata.WORKSPACE_ID, workspaceId));
    }

    /** A refusal with this catalog entry, whatever its message says. */
    public static Matcher<Throwable> rejected(ErrorCode code) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Throwable item) {
                return item instanceof CommandRejectedException rejection && rejection.code().equals(code.code());
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a command refused with " + code.code());
            }
        };
    }
}
