package io.rmb.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.rmb.streams.avro.RmbAvroSchemas;
import io.rmb.streams.avro.StandInRegistry;
import io.rmb.streams.record.ValueFormat.RecordType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with Avro values on a real in-process Kafka cluster, a real relay and echo
 * twins. The schema registry is {@link StandInRegistry}, a STAND-IN for Apicurio Registry
 * 2.6 (its v2 endpoints the serdes use), not the real registry.
 */
class AvroGatewayIT {
  @TempDir static Path dir;
  private static StandInRegistry registry;
  private static TestNet net;
  private static KafkaIo kafka;
  private static StreamsGateway gateway;
  private static KafkaIo.Collector responses;
  private static KafkaIo.Collector dlq;
  private static KafkaProducer<byte[], byte[]> producer;
  private static AvroKafkaSerializer<GenericRecord> serializer;
  private static AvroKafkaDeserializer<GenericRecord> deserializer;

  @BeforeAll
  static void start() throws Exception {
    registry = new StandInRegistry();
    Map<String, Object> serde = new HashMap<>();
    serde.put(SerdeConfig.REGISTRY_URL, registry.url());
    serde.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true);
    serde.put(SerdeConfig.ENABLE_HEADERS, false);
    serde.put(SerdeConfig.USE_ID, "contentId");
    serde.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
    serializer = new AvroKafkaSerializer<>();
    serializer.configure(serde, false);
    deserializer = new AvroKafkaDeserializer<>();
    deserializer.configure(serde, false);

    String bootstrap = SharedKafka.bootstrapServers();
    net = new TestNet(dir);
    kafka = new KafkaIo(bootstrap);
    producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
        new ByteArraySerializer(), new ByteArraySerializer());
    gateway = StreamsGateway.start(SharedKafka.config("avroit", dir.resolve("state"),
        Map.of(GatewayConfig.VALUE_FORMAT, "avro",
            GatewayConfig.SCHEMA_REGISTRY_URL, registry.url())), net.gatewayPeer());
    await().atMost(Duration.ofSeconds(90)).until(gateway::isReady);
    responses = kafka.collect("avroit.responses");
    dlq = kafka.collect("avroit.dlq");
  }

  @AfterAll
  static void stop() throws Exception {
    responses.close();
    dlq.close();
    gateway.close();
    producer.close();
    serializer.close();
    deserializer.close();
    kafka.close();
    net.close();
    registry.close();
  }

  private static String text(Object value) {
    if (value instanceof ByteBuffer buffer) {
      byte[] out = new byte[buffer.remaining()];
      buffer.duplicate().get(out);
      return new String(out, StandardCharsets.UTF_8);
    }
    return String.valueOf(value);
  }

  @Test
  void anAvroRequestIsEchoedByTwoTwinsAsAvroOutcomes() throws Exception {
    GenericRecord request = new GenericData.Record(RmbAvroSchemas.of(RecordType.REQUEST));
    request.put("ver", 1);
    request.put("ref", "avro-fan");
    request.put("cmd", "test.echo");
    request.put("dst", List.of(11L, 12L));
    request.put("dat", ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
    request.put("exp", 0L);
    request.put("now", 0L);
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("avroit.requests", null,
        "fan-key".getBytes(StandardCharsets.UTF_8),
        serializer.serialize("avroit.requests", request),
        List.of(new RecordHeader("rmb-correlation-id", "c-avro".getBytes(
            StandardCharsets.UTF_8))));
    producer.send(record).get();

    await().atMost(Duration.ofSeconds(60)).until(() -> responses.records.size() >= 2);
    List<ConsumerRecord<byte[], byte[]>> out = responses.records;
    assertThat(out).hasSize(2);
    for (ConsumerRecord<byte[], byte[]> outcome : out) {
      assertThat(outcome.value()[0]).isEqualTo((byte) 0); // Confluent magic byte
      GenericRecord value = deserializer.deserialize("avroit.responses", outcome.value());
      assertThat(text(value.get("ref"))).isEqualTo("avro-fan");
      assertThat(text(value.get("status"))).isEqualTo("response");
      assertThat(text(value.get("dat"))).isEqualTo("ping");
      assertThat(new String(outcome.key(), StandardCharsets.UTF_8)).isEqualTo("fan-key");
      assertThat(KafkaIo.header(outcome, "rmb-correlation-id")).isEqualTo("c-avro");
    }
    assertThat(out).extracting(r -> text(deserializer.deserialize("avroit.responses",
        r.value()).get("src"))).containsExactlyInAnyOrder("11", "12");
  }

  @Test
  void aJsonValueOnTheAvroTopicGoesToTheDlq() throws Exception {
    kafka.send("avroit.requests", "json-key", "{\"ref\":\"j\",\"cmd\":\"test.echo\","
        + "\"dst\":[11]}");

    await().atMost(Duration.ofSeconds(60)).until(() -> dlq.records.stream()
        .anyMatch(r -> "json-key".equals(new String(r.key(), StandardCharsets.UTF_8))));
    ConsumerRecord<byte[], byte[]> dead = dlq.records.stream()
        .filter(r -> "json-key".equals(new String(r.key(), StandardCharsets.UTF_8)))
        .findFirst().orElseThrow();
    assertThat(KafkaIo.header(dead, "rmb-dlq-reason")).contains("Confluent wire format");
  }
}
