package io.rmb.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.rmb.streams.avro.AvroValueFormat;
import io.rmb.streams.avro.RmbAvroSchemas;
import io.rmb.streams.avro.StandInRegistry;
import io.rmb.streams.metrics.GatewayMetrics;
import io.rmb.streams.record.Answer;
import io.rmb.streams.record.RecordCodec;
import io.rmb.streams.record.ValueFormat.RecordType;
import io.rmb.testing.ManualClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request side with Avro values (rmb.value.format=avro) on TopologyTestDriver: the same
 * rules as JSON (correlation kept, bad records to the DLQ without stalling), values in the
 * Confluent wire format through Apicurio 2.6 serdes. The registry is {@link StandInRegistry},
 * a stand-in for Apicurio Registry, not the real one.
 */
class AvroTopologyTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final ManualClock clock = new ManualClock(START);
  private final RecordingNetwork network = new RecordingNetwork();
  private final GatewayMetrics metrics = GatewayMetrics.standalone();
  private final RecordCodec codec = new RecordCodec(clock);
  private final GatewayTopics topics = GatewayTestTopics.topics(Optional.empty());
  private StandInRegistry registry;
  private AvroKafkaSerializer<GenericRecord> userSerializer;
  private AvroKafkaDeserializer<GenericRecord> userDeserializer;
  private GatewayTestTopics fixture;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> requests;
  private TestInputTopic<String, byte[]> answers;
  private TestOutputTopic<byte[], byte[]> responses;
  private TestOutputTopic<byte[], byte[]> dlq;

  @BeforeEach
  void start() throws Exception {
    registry = new StandInRegistry();
    // the user's side: plain Apicurio serdes with the Confluent-compatible settings
    Map<String, Object> serde = new HashMap<>();
    serde.put(SerdeConfig.REGISTRY_URL, registry.url());
    serde.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true);
    serde.put(SerdeConfig.ENABLE_HEADERS, false);
    serde.put(SerdeConfig.USE_ID, "contentId");
    serde.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
    userSerializer = new AvroKafkaSerializer<>();
    userSerializer.configure(serde, false);
    userDeserializer = new AvroKafkaDeserializer<>();
    userDeserializer.configure(serde, false);

    String url = registry.url();
    fixture = new GatewayTestTopics("gateway-avro-test",
        GatewayTopology.build(topics, network, clock, metrics,
        Duration.ofMillis(100), true, GatewayTopology.DEFAULT_REPLY_GRACE,
        () -> new AvroValueFormat(url, true, Map.of())), START);
    driver = fixture.driver;
    requests = fixture.requests;
    answers = fixture.answers;
    responses = fixture.responses;
    dlq = fixture.dlq;
  }

  @AfterEach
  void stop() {
    fixture.close();
    userSerializer.close();
    userDeserializer.close();
    registry.close();
  }

  private byte[] avroRequest(String ref, String cmd, List<Long> dst, byte[] dat) {
    GenericRecord request = new GenericData.Record(RmbAvroSchemas.of(RecordType.REQUEST));
    request.put("ver", 1);
    request.put("ref", ref);
    request.put("cmd", cmd);
    request.put("dst", dst);
    request.put("dat", dat == null ? null : ByteBuffer.wrap(dat));
    request.put("exp", 60L);
    request.put("now", 0L);
    return userSerializer.serialize("rmb.requests", request);
  }

  private void send(String key, byte[] value, Headers headers) {
    requests.pipeInput(new TestRecord<>(bytes(key), value, headers, clock.instant()));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Object value) {
    if (value instanceof ByteBuffer buffer) {
      byte[] out = new byte[buffer.remaining()];
      buffer.duplicate().get(out);
      return new String(out, StandardCharsets.UTF_8);
    }
    return String.valueOf(value);
  }

  private static String header(TestRecord<?, ?> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void anAvroRequestGetsAvroOutcomesWithItsKeyAndCorrelation() {
    Headers headers = new RecordHeaders().add("rmb-correlation-id", bytes("corr-1"));
    send("order-key", avroRequest("order-42", "zos.statistics.get", List.of(11L, 12L),
        bytes("hi")), headers);

    assertThat(network.sent).hasSize(1);
    InFlight sent = network.sent.get(0);
    assertThat(sent.command()).isEqualTo("zos.statistics.get");
    assertThat(sent.remaining()).containsExactly(11L, 12L);
    assertThat(new String(sent.payload(), StandardCharsets.UTF_8)).isEqualTo("hi");
    assertThat(sent.deadlineMillis() - sent.issuedAtMillis()).isEqualTo(60_000);

    answers.pipeInput(sent.uid(), codec.answer(Answer.response(12, bytes("{\"a\":1}"),
        "application/json")));
    answers.pipeInput(sent.uid(), codec.answer(Answer.error(11, 0, "handler failed")));

    List<TestRecord<byte[], byte[]>> out = responses.readRecordsToList();
    assertThat(out).hasSize(2);
    TestRecord<byte[], byte[]> first = out.get(0);
    assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("order-key");
    assertThat(header(first, "rmb-correlation-id")).isEqualTo("corr-1");
    assertThat(header(first, "rmb-uid")).isEqualTo(sent.uid());
    // Confluent wire format: magic byte 0, then the content id of the outcome schema
    byte[] value = first.value();
    assertThat(value[0]).isEqualTo((byte) 0);
    assertThat(registry.artifacts).contains("rmb.requests-value", "rmb.responses-value");
    Long outcomeId = registry.contentIdOf(RmbAvroSchemas.of(RecordType.OUTCOME).toString());
    assertThat(outcomeId).isNotNull();
    assertThat((long) ByteBuffer.wrap(value, 1, 4).getInt()).isEqualTo(outcomeId);
    assertThat(first.headers().lastHeader("apicurio.value.globalId")).isNull();

    GenericRecord response = userDeserializer.deserialize("rmb.responses", value);
    assertThat(response.getSchema().getFullName()).isEqualTo("io.rmb.avro.Outcome");
    assertThat(text(response.get("ref"))).isEqualTo("order-42");
    assertThat(text(response.get("uid"))).isEqualTo(sent.uid());
    assertThat(text(response.get("src"))).isEqualTo("12");
    assertThat(text(response.get("status"))).isEqualTo("response");
    assertThat(text(response.get("dat"))).isEqualTo("{\"a\":1}");
    assertThat(text(response.get("json"))).isEqualTo("{\"a\":1}");
    assertThat(response.get("err")).isNull();

    GenericRecord error = userDeserializer.deserialize("rmb.responses", out.get(1).value());
    assertThat(text(error.get("status"))).isEqualTo("error");
    GenericRecord err = (GenericRecord) error.get("err");
    assertThat(err.get("code")).isEqualTo(0L);
    assertThat(text(err.get("message"))).isEqualTo("handler failed");
    assertThat(registry.unhandled).isEmpty();
  }

  @Test
  void bytesThatAreNotConfluentAvroGoToTheDlqAndTheNextRequestIsServed() {
    Headers headers = new RecordHeaders().add("rmb-correlation-id", bytes("corr-bad"));
    byte[] json = bytes("{\"cmd\":\"x\",\"dst\":[1]}");
    send("k1", json, headers);
    send("k2", avroRequest(null, "test.echo", List.of(5L), null), new RecordHeaders());

    List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).value()).isEqualTo(json); // kept as it came
    assertThat(header(dead.get(0), "rmb-dlq-reason")).contains("Confluent wire format");
    // it named a correlation id: an error outcome for it, in Avro
    List<TestRecord<byte[], byte[]>> out = responses.readRecordsToList();
    assertThat(out).hasSize(1);
    GenericRecord outcome = userDeserializer.deserialize("rmb.responses", out.get(0).value());
    assertThat(text(outcome.get("ref"))).isEqualTo("corr-bad");
    assertThat(text(outcome.get("status"))).isEqualTo("error");
    // the partition goes on: the next request is sent
    assertThat(network.sent).hasSize(1);
    assertThat(network.sent.get(0).ref()).isEqualTo("k2");
  }

  @Test
  void anUnknownSchemaIdGoesToTheDlq() {
    byte[] good = avroRequest("r", "test.echo", List.of(5L), null);
    byte[] unknown = good.clone();
    ByteBuffer.wrap(unknown, 1, 4).putInt(4242);
    send("k", unknown, new RecordHeaders());

    List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    assertThat(dead).hasSize(1);
    assertThat(header(dead.get(0), "rmb-dlq-reason")).contains("registry");
    assertThat(network.sent).isEmpty();
  }

  @Test
  void anotherRecordTypeIsRefused() {
    GenericRecord reply = new GenericData.Record(RmbAvroSchemas.of(RecordType.REPLY));
    reply.put("ref", "x");
    reply.put("dst", "5");
    reply.put("now", 0L);
    reply.put("ver", 1);
    send("k", userSerializer.serialize("rmb.requests", reply), new RecordHeaders());

    List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    assertThat(dead).hasSize(1);
    assertThat(header(dead.get(0), "rmb-dlq-reason"))
        .contains("io.rmb.avro.Reply, not io.rmb.avro.Request");
  }

  @Test
  void anAvroReplyParkedForTheIndexIsSentOnceItsRequestIsKnown() {
    TestInputTopic<byte[], byte[]> replies = driver.createInputTopic("rmb.replies",
        new ByteArraySerializer(), new ByteArraySerializer());
    TestInputTopic<String, IncomingEntry> index = driver.createInputTopic(
        "rmb.gateway.incoming-index", new StringSerializer(), IncomingEntry.serde().serializer());
    GenericRecord reply = new GenericData.Record(RmbAvroSchemas.of(RecordType.REPLY));
    reply.put("ver", 1);
    reply.put("ref", "uid-7");
    reply.put("dst", "41:s1");
    reply.put("json", "{\"sum\":3}");
    reply.put("now", 0L);
    replies.pipeInput(null, userSerializer.serialize("rmb.replies", reply));
    assertThat(network.replies).as("parked: the index does not know uid-7 yet").isEmpty();

    index.pipeInput("uid-7", new IncomingEntry("41:s1", START.toEpochMilli() + 60_000));
    driver.advanceWallClockTime(Duration.ofMillis(200));

    assertThat(network.replies).hasSize(1);
    assertThat(network.replies.get(0).ref()).isEqualTo("uid-7");
    assertThat(network.replies.get(0).twin()).isEqualTo(41);
    assertThat(network.replies.get(0).connection()).contains("s1");
    assertThat(new String(network.replies.get(0).payload(), StandardCharsets.UTF_8))
        .isEqualTo("{\"sum\":3}");
    assertThat(network.replies.get(0).schema()).isEqualTo("application/json");
    assertThat(dlq.isEmpty()).isTrue();
  }
}
