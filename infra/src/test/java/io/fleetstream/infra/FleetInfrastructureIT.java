package io.fleetstream.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class FleetInfrastructureIT {

    private final FleetInfrastructure infra = SharedInfrastructure.get();

    @Test
    void kafka_carriesARecordFromProducerToConsumer() throws Exception {
        String bootstrap = infra.kafka().bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("infra-smoke", 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("infra-smoke", "k", "hello")).get();
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "infra-smoke");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(Set.of("infra-smoke"));
            // the first group join on a fresh broker may take a while on a loaded machine
            AtomicReference<String> value = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    value.set(records.iterator().next().value());
                }
                return value.get() != null;
            });
            assertThat(value.get()).isEqualTo("hello");
        }
    }

    @Test
    void postgres_hasTheFleetDatabase() throws Exception {
        try (Connection connection = DriverManager.getConnection(infra.postgres().jdbcUrl(), "postgres", "");
                ResultSet rs = connection.createStatement().executeQuery("select current_database()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("fleet");
        }
    }

    @Test
    void issuer_publishesDiscoveryAndMintsVerifiableTokens() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> discovery = http.send(HttpRequest.newBuilder(
                URI.create(infra.issuer().issuer() + "/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(discovery.statusCode()).isEqualTo(200);
        assertThat(discovery.body()).contains("\"jwks_uri\":\"" + infra.issuer().issuer() + "/jwks\"");

        HttpResponse<String> token = http.send(HttpRequest.newBuilder(
                URI.create(infra.issuer().issuer() + "/token?workspace=acme&role=viewer&user=bob"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).isEqualTo(200);
        String jwt = token.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        com.nimbusds.jwt.SignedJWT parsed = com.nimbusds.jwt.SignedJWT.parse(jwt);
        com.nimbusds.jose.jwk.JWKSet keys = com.nimbusds.jose.jwk.JWKSet.load(URI.create(infra.issuer().issuer() + "/jwks").toURL());
        assertThat(parsed.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(
                keys.getKeys().get(0).toRSAKey()))).isTrue();
        assertThat(parsed.getJWTClaimsSet().getStringClaim("workspace")).isEqualTo("acme");
        assertThat(parsed.getJWTClaimsSet().getStringClaim("role")).isEqualTo("viewer");

        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(
                URI.create(infra.issuer().issuer() + "/token?workspace=acme&role=god"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
    }
}
