package io.fleetstream.projector.notice;

import io.fleetstream.support.notice.ChangeNotice;
import java.util.List;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Announces committed changes on Redis pub/sub. Best effort by design: the read model is the truth and
 * a dashboard that missed a notice catches up on its next read; a Redis outage never blocks projection.
 */
@Component
public class ChangeAnnouncer {

    private static final Logger log = LoggerFactory.getLogger(ChangeAnnouncer.class);

    private final RedissonClient redis;
    private final JsonMapper json;

    ChangeAnnouncer(RedissonClient redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
    }

    public void announce(List<ChangeNotice> notices) {
        for (ChangeNotice notice : notices) {
            try {
                redis.getTopic(ChangeNotice.channel(notice.workspaceId()), StringCodec.INSTANCE)
                        .publishAsync(json.writeValueAsString(notice))
                        .whenComplete((receivers, error) -> {
                            if (error != null) {
                                log.debug("notice {} of {} {} not announced: {}", notice.type(), notice.aggregateType(), notice.aggregateId(),
                                        error.getMessage());
                            }
                        });
            } catch (RuntimeException e) {
                log.warn("could not announce {} of {} {}: {}", notice.type(), notice.aggregateType(), notice.aggregateId(),
                        e.getMessage());
            }
        }
    }
}
