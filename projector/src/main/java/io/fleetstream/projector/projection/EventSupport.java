package io.fleetstream.projector.projection;

import io.fleetstream.projector.notice.ChangeAnnouncer;
import io.fleetstream.support.kafka.DeadLetters;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** What every projection of events needs besides its own code. */
@Component
public record EventSupport(ProjectionSupport projection, DSLContext db, JsonMapper json, DeadLetters deadLetters,
        ChangeAnnouncer announcer) {
}
