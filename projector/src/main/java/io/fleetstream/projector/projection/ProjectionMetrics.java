package io.fleetstream.projector.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What an operator watches of each projection: where it stands per partition, how far behind the topic's
 * end it is, and what it has parked. Lag and parked counts are read every few seconds from the database
 * (the truth, also when a retry or a rebuild ran in another process) and Kafka, never on a scrape.
 */
@Component
public class ProjectionMetrics implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ProjectionMetrics.class);

    private final MeterRegistry registry;
    private final KafkaAdmin kafkaAdmin;
    private final Positions positions;
    private final ParkedRecords parked;
    private final Map<String, String> topics = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> parkedNow = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> positionGauges = new ConcurrentHashMap<>();
    private volatile Admin admin;

    ProjectionMetrics(MeterRegistry registry, KafkaAdmin kafkaAdmin, Positions positions, ParkedRecords parked) {
        this.registry = registry;
        this.kafkaAdmin = kafkaAdmin;
        this.positions = positions;
        this.parked = parked;
    }

    private void register(String projection) {
        parkedNow.computeIfAbsent(projection, p -> gauge("fleet.projection.parked", p,
                "records the projection has set aside because it could not apply them"));
        lag.computeIfAbsent(projection, p -> gauge("fleet.projection.lag", p,
                "records between the projection's position and the end of its topic"));
    }

    void watch(String projection, String topic) {
        register(projection);
        topics.put(projection, topic);
    }

    private AtomicLong gauge(String name, String projection, String description) {
        AtomicLong value = new AtomicLong();
        Gauge.builder(name, value, AtomicLong::get).tag("projection", projection).description(description)
                .register(registry);
        return value;
    }

    void position(String projection, TopicPartition partition, long next) {
        positionGauges.computeIfAbsent(projection + "/" + partition, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("fleet.projection.position", value, AtomicLong::get)
                    .tags("projection", projection, "topic", partition.topic(), "partition",
                            String.valueOf(partition.partition()))
                    .description("the next offset the projection will apply").register(registry);
            return value;
        }).accumulateAndGet(next, Math::max);
    }

    void parked(String projection) {
        Counter.builder("fleet.projection.parked.records").tag("projection", projection)
                .description("records parked since start").register(registry).increment();
    }

    @Scheduled(fixedDelayString = "${fleet.projector.metrics-interval:5s}", initialDelayString = "5s")
    void refresh() {
        try {
            Map<String, Integer> counts = parked.counts();
            parkedNow.forEach((projection, value) -> value.set(counts.getOrDefault(projection, 0)));
            for (Map.Entry<String, String> watched : topics.entrySet()) {
                Map<TopicPartition, Long> at = positions.nextOffsets(watched.getKey(), watched.getValue());
                Map<TopicPartition, Long> end = endOffsets(watched.getValue());
                if (end == null) {
                    continue; // Kafka away: the lag is not known now, so it is left as it was
                }
                long behind = end.entrySet().stream()
                        .mapToLong(e -> Math.max(0, e.getValue() - at.getOrDefault(e.getKey(), 0L))).sum();
                lag.get(watched.getKey()).set(behind);
                at.forEach((partition, next) -> position(watched.getKey(), partition, next));
            }
        } catch (RuntimeException e) {
            log.debug("projection metrics not refreshed: {}", e.getMessage());
        }
    }

    private Map<TopicPartition, Long> endOffsets(String topic) {
        try {
            Admin client = admin();
            List<TopicPartition> partitions = client.describeTopics(List.of(topic)).allTopicNames()
                    .get(10, java.util.concurrent.TimeUnit.SECONDS).get(topic).partitions().stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            ListOffsetsResult result = client.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())));
            return result.all().get(10, java.util.concurrent.TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    private Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    Map<String, Object> config = new java.util.HashMap<>(kafkaAdmin.getConfigurationProperties());
                    config.put("request.timeout.ms", (int) Duration.ofSeconds(5).toMillis());
                    admin = Admin.create(config);
                }
            }
        }
        return admin;
    }

    @Override
    public void destroy() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
