package io.rmb.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rmb.streams.metrics.GatewayMetrics;
import io.rmb.streams.record.Answer;
import io.rmb.streams.record.RecordCodec;
import io.rmb.testing.ManualClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every record rule of the request side (kafka.md), on TopologyTestDriver. */
class GatewayTopologyTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ManualClock clock = new ManualClock(START);
  private final RecordingNetwork network = new RecordingNetwork();
  private final GatewayMetrics metrics = GatewayMetrics.standalone();
  private final RecordCodec codec = new RecordCodec(clock);
  private final GatewayTopics topics = GatewayTestTopics.TOPICS;
  private GatewayTestTopics fixture;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> requests;
  private TestInputTopic<String, byte[]> answers;
  private TestOutputTopic<byte[], byte[]> responses;
  private TestOutputTopic<byte[], byte[]> dlq;

  @BeforeEach
  void start() {
    fixture = new GatewayTestTopics("gateway-test",
        GatewayTopology.build(topics, network, clock, metrics,
        Duration.ofMillis(100), true), START);
    driver = fixture.driver;
    requests = fixture.requests;
    answers = fixture.answers;
    responses = fixture.responses;
    dlq = fixture.dlq;
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private void send(String key, String value, Headers headers) {
    requests.pipeInput(new TestRecord<>(key == null ? null : bytes(key), bytes(value), headers,
        clock.instant()));
  }

  private void answer(String uid, Answer answer) {
    answers.pipeInput(uid, codec.answer(answer));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(TestRecord<?, ?> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static JsonNode value(TestRecord<byte[], byte[]> record) throws Exception {
    return JSON.readTree(record.value());
  }

  @Test
  void onlyTheInFlightStoreIsChangelogged() {
    send("k", "{\"ref\":\"r\",\"cmd\":\"c\",\"dst\":[11],\"dat\":\"aGk=\",\"exp\":5}",
        new RecordHeaders());
    answer(network.sent.get(0).uid(), Answer.response(11, bytes("x"), null));
    clock.advance(Duration.ofSeconds(200)); // past the deadline and the done marker's retention
    driver.advanceWallClockTime(Duration.ofSeconds(200));

    assertThat(driver.producedTopicNames())
        .filteredOn(topic -> topic.endsWith("-changelog"))
        .containsExactly("gateway-test-" + GatewayTopology.IN_FLIGHT_STORE + "-changelog");
  }

  @Test
  void aRequestIsStoredAndSentThenEachDestinationGetsOneOutcome() throws Exception {
    Headers headers = new RecordHeaders().add("rmb-correlation-id", bytes("corr-1"));
    send("order-key", "{\"ver\":1,\"ref\":\"order-42\",\"cmd\":\"zos.statistics.get\","
        + "\"dst\":[11,12],\"dat\":\"aGk=\",\"exp\":60,\"tag\":\"t\"}", headers);

    assertThat(network.sent).hasSize(1);
    InFlight sent = network.sent.get(0);
    assertThat(sent.command()).isEqualTo("zos.statistics.get");
    assertThat(sent.remaining()).containsExactly(11L, 12L);
    assertThat(new String(sent.payload(), StandardCharsets.UTF_8)).isEqualTo("hi");
    assertThat(sent.tags()).isEqualTo("t");
    assertThat(sent.deadlineMillis() - sent.issuedAtMillis()).isEqualTo(60_000);
    assertThat(sent.uid()).endsWith(".0");
    assertThat(responses.isEmpty()).isTrue();
    assertThat(metrics.inFlight()).isEqualTo(2);

    answer(sent.uid(), Answer.response(12, bytes("{\"a\":1}"), "application/json"));
    answer(sent.uid(), Answer.error(11, 0, "handler failed"));
    answer(sent.uid(), Answer.response(12, bytes("again"), null)); // duplicate

    List<TestRecord<byte[], byte[]>> out = responses.readRecordsToList();
    assertThat(out).hasSize(2);
    TestRecord<byte[], byte[]> first = out.get(0);
    assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("order-key");
    JsonNode response = value(first);
    assertThat(response.get("ver").asInt()).isEqualTo(1);
    assertThat(response.get("ref").asText()).isEqualTo("order-42");
    assertThat(response.get("uid").asText()).isEqualTo(sent.uid());
    assertThat(response.get("src").asText()).isEqualTo("12");
    assertThat(response.get("status").asText()).isEqualTo("response");
    assertThat(response.get("dat").asText()).isEqualTo("eyJhIjoxfQ==");
    assertThat(response.get("json").get("a").asInt()).isEqualTo(1);
    assertThat(response.get("shm").asText()).isEqualTo("application/json");
    assertThat(response.get("now").asLong()).isEqualTo(START.getEpochSecond());
    assertThat(response.has("err")).isFalse();
    assertThat(header(first, "rmb-correlation-id")).isEqualTo("corr-1");
    assertThat(header(first, "rmb-uid")).isEqualTo(sent.uid());
    assertThat(header(first, "rmb-src")).isEqualTo("12");
    assertThat(header(first, "rmb-status")).isEqualTo("response");
    assertThat(header(first, "input_record_topic")).isEqualTo("rmb.requests");
    assertThat(header(first, "input_record_partition")).isEqualTo("0");
    assertThat(header(first, "input_record_offset")).isEqualTo("0");
    JsonNode error = value(out.get(1));
    assertThat(error.get("src").asText()).isEqualTo("11");
    assertThat(error.get("status").asText()).isEqualTo("error");
    assertThat(error.get("err").get("code").asLong()).isZero();
    assertThat(error.get("err").get("message").asText()).isEqualTo("handler failed");
    assertThat(metrics.counted("rmb.gateway.answers.dropped", "reason", "unknown")).isEqualTo(1);
    assertThat(metrics.inFlight()).isZero();
  }

  @Test
  void aJsonPayloadIsSentAsItsTextWithTheJsonSchema() {
    send(null, "{\"cmd\":\"calc.add\",\"dst\":[7],\"json\":{\"x\":[1,2]}}", new RecordHeaders());

    InFlight sent = network.sent.get(0);
    assertThat(new String(sent.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"x\":[1,2]}");
    assertThat(sent.schema()).isEqualTo("application/json");
    assertThat(sent.deadlineMillis() - sent.issuedAtMillis()).isEqualTo(300_000);
    assertThat(sent.ref()).isEqualTo("rmb.requests-0-0");
  }

  @Test
  void theRefFallsBackToTheCorrelationIdThenTheKeyThenTheCoordinates() {
    UUID spring = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    byte[] springBytes = ByteBuffer.allocate(16).putLong(spring.getMostSignificantBits())
        .putLong(spring.getLeastSignificantBits()).array();
    send("k", "{\"cmd\":\"c\",\"dst\":[7]}",
        new RecordHeaders().add("kafka_correlationId", springBytes));
    send("k", "{\"cmd\":\"c\",\"dst\":[7]}", new RecordHeaders());
    send(null, "{\"cmd\":\"c\",\"dst\":[7]}", new RecordHeaders());

    assertThat(network.sent).extracting(InFlight::ref)
        .containsExactly("123e4567-e89b-12d3-a456-426614174000", "k", "rmb.requests-0-2");
  }

  @Test
  void expIsClampedAndAnOldNowShortensTheDeadline() {
    send(null, "{\"cmd\":\"c\",\"dst\":[7],\"exp\":99999}", new RecordHeaders());
    send(null, "{\"cmd\":\"c\",\"dst\":[7],\"exp\":100,\"now\":"
        + (START.getEpochSecond() - 40) + "}", new RecordHeaders());

    assertThat(network.sent.get(0).deadlineMillis()).isEqualTo(START.toEpochMilli() + 1_800_000);
    assertThat(network.sent.get(1).deadlineMillis()).isEqualTo(START.toEpochMilli() + 60_000);
  }

  @Test
  void duplicateDestinationsAreAskedOnce() {
    send(null, "{\"cmd\":\"c\",\"dst\":[7,8,7]}", new RecordHeaders());

    assertThat(network.sent.get(0).remaining()).containsExactly(7L, 8L);
  }

  @Test
  void theTimeoutPunctuatorWritesA408ForEachUnansweredDestinationAtTheDeadline()
      throws Exception {
    send("k", "{\"ref\":\"r\",\"cmd\":\"c\",\"dst\":[7,8],\"exp\":10}", new RecordHeaders());
    String uid = network.sent.get(0).uid();
    answer(uid, Answer.response(7, bytes("ok"), null));
    responses.readRecordsToList();

    clock.advance(Duration.ofMillis(9_900));
    driver.advanceWallClockTime(Duration.ofMillis(9_900));
    assertThat(responses.isEmpty()).as("not before the deadline").isTrue();

    clock.advance(Duration.ofMillis(200));
    driver.advanceWallClockTime(Duration.ofMillis(200));
    List<TestRecord<byte[], byte[]>> out = responses.readRecordsToList();
    assertThat(out).hasSize(1);
    JsonNode timeout = value(out.get(0));
    assertThat(timeout.get("src").asText()).isEqualTo("8");
    assertThat(timeout.get("status").asText()).isEqualTo("timeout");
    assertThat(timeout.get("err").get("code").asLong()).isEqualTo(408);
    assertThat(timeout.get("err").get("message").asText())
        .isEqualTo("no response before expiration");
    assertThat(header(out.get(0), "rmb-status")).isEqualTo("timeout");

    answer(uid, Answer.response(8, bytes("late"), null));
    assertThat(responses.isEmpty()).as("a late answer is dropped").isTrue();
    assertThat(metrics.inFlight()).isZero();
  }

  @Test
  void aRequestAlreadyExpiredOnArrivalTimesOutAtOnceWithoutBeingSent() throws Exception {
    send(null, "{\"cmd\":\"c\",\"dst\":[7],\"exp\":5,\"now\":"
        + (START.getEpochSecond() - 10) + "}", new RecordHeaders());

    assertThat(network.sent).isEmpty();
    assertThat(value(responses.readRecord()).get("status").asText()).isEqualTo("timeout");
  }

  @Test
  void theGatewaysOwnTimeoutAnswersAreIgnoredInFavourOfThePunctuator() {
    send(null, "{\"cmd\":\"c\",\"dst\":[7],\"exp\":30}", new RecordHeaders());
    answer(network.sent.get(0).uid(), Answer.timeout(7));

    assertThat(responses.isEmpty()).isTrue();
    assertThat(metrics.counted("rmb.gateway.answers.dropped", "reason", "timeout")).isEqualTo(1);
  }

  @Test
  void aRelayErrorWithoutDestinationIsAttributedWhenOnlyOneIsLeft() throws Exception {
    send(null, "{\"cmd\":\"c\",\"dst\":[7,8]}", new RecordHeaders());
    String uid = network.sent.get(0).uid();
    answer(uid, Answer.error(0, 0, "relay: twin not connected"));
    assertThat(responses.isEmpty()).as("two candidates: not attributable").isTrue();

    answer(uid, Answer.response(7, bytes("ok"), null));
    answer(uid, Answer.error(0, 0, "relay: twin not connected"));
    List<TestRecord<byte[], byte[]>> out = responses.readRecordsToList();
    assertThat(out).hasSize(2);
    assertThat(value(out.get(1)).get("src").asText()).isEqualTo("8");
    assertThat(value(out.get(1)).get("status").asText()).isEqualTo("error");
  }

  @Test
  void springReplyTopicRoutesOutcomesWhenAllowed() throws Exception {
    Headers allowed = new RecordHeaders().add("kafka_replyTopic", bytes("replies.app"))
        .add("kafka_replyPartition", ByteBuffer.allocate(4).putInt(0).array())
        .add("kafka_correlationId", bytes("spring-1"));
    send("k", "{\"cmd\":\"c\",\"dst\":[7]}", allowed);
    Headers refused = new RecordHeaders().add("kafka_replyTopic", bytes("rmb.gateway.answers"));
    send("k", "{\"cmd\":\"c\",\"dst\":[7]}", refused);
    answer(network.sent.get(0).uid(), Answer.response(7, bytes("ok"), null));
    answer(network.sent.get(1).uid(), Answer.response(7, bytes("ok"), null));

    TestOutputTopic<byte[], byte[]> replies = driver.createOutputTopic("replies.app",
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    TestRecord<byte[], byte[]> routed = replies.readRecord();
    assertThat(header(routed, "kafka_correlationId")).isEqualTo("spring-1");
    assertThat(value(routed).get("ref").asText()).isEqualTo("spring-1");
    assertThat(responses.readRecordsToList()).hasSize(1);
    assertThat(metrics.counted("rmb.gateway.requests", "result", "reply-topic-refused"))
        .isEqualTo(1);
  }

  @Test
  void poisonRecordsGoToTheDlqAndNeverStallThePartition() throws Exception {
    send("p1", "not json", new RecordHeaders().add("x-app", bytes("kept")));
    send("p2", "{\"cmd\":\"c\",\"dst\":[]}", new RecordHeaders());
    requests.pipeInput(bytes("p3"), (byte[]) null);
    send("p4", "{\"cmd\":\"c\",\"dst\":[7]}", new RecordHeaders());

    List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    assertThat(dead).hasSize(3);
    assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not json");
    assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("p1");
    assertThat(header(dead.get(0), "rmb-dlq-reason")).startsWith("value is not JSON");
    assertThat(header(dead.get(0), "x-app")).isEqualTo("kept");
    assertThat(header(dead.get(0), "rmb-dlq-topic")).isEqualTo("rmb.requests");
    assertThat(header(dead.get(0), "rmb-dlq-partition")).isEqualTo("0");
    assertThat(header(dead.get(0), "rmb-dlq-offset")).isEqualTo("0");
    assertThat(header(dead.get(1), "rmb-dlq-reason"))
        .isEqualTo("invalid request: dst must be a non-empty list of twin ids");
    assertThat(header(dead.get(2), "rmb-dlq-reason")).isEqualTo("empty record value");
    assertThat(responses.isEmpty()).as("none named a ref").isTrue();
    assertThat(network.sent).hasSize(1).first()
        .satisfies(r -> assertThat(r.inputOffset()).isEqualTo(3));
    assertThat(metrics.counted("rmb.gateway.requests", "result", "invalid")).isEqualTo(3);
  }

  @Test
  void aPoisonRecordThatNamesARefOrCorrelationIdAlsoGetsAnErrorOutcome() throws Exception {
    send("k1", "{\"ref\":\"bad-1\",\"dst\":[7]}", new RecordHeaders());
    send("k2", "{\"cmd\":\"c\",\"dst\":[7],\"dat\":\"%%%\"}",
        new RecordHeaders().add("rmb-correlation-id", bytes("corr-9")));
    send("k3", "{\"ref\":\"bad-3\",\"cmd\":\"c\",\"dst\":[7],\"dat\":\"aGk=\",\"json\":1}",
        new RecordHeaders());
    send("k4", "{\"ref\":\"bad-4\",\"cmd\":\"c\",\"dst\":[0]}", new RecordHeaders());
    send("k5", "{\"ref\":\"bad-5\",\"ver\":2,\"cmd\":\"c\",\"dst\":[7]}", new RecordHeaders());

    assertThat(dlq.readRecordsToList()).hasSize(5);
    List<TestRecord<byte[], byte[]>> out = responses.readRecordsToList();
    assertThat(out).hasSize(5);
    assertThat(out).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsExactly("k1", "k2", "k3", "k4", "k5");
    JsonNode first = value(out.get(0));
    assertThat(first.get("ref").asText()).isEqualTo("bad-1");
    assertThat(first.get("status").asText()).isEqualTo("error");
    assertThat(first.get("src").asText()).isEqualTo("0");
    assertThat(first.get("err").get("code").asLong()).isEqualTo(101);
    assertThat(first.get("err").get("message").asText())
        .isEqualTo("invalid request: cmd is required");
    assertThat(value(out.get(1)).get("ref").asText()).isEqualTo("corr-9");
    assertThat(header(out.get(1), "rmb-correlation-id")).isEqualTo("corr-9");
    assertThat(value(out.get(1)).get("err").get("message").asText()).startsWith(
        "invalid request: dat is not base64");
    assertThat(value(out.get(2)).get("err").get("message").asText())
        .isEqualTo("invalid request: give the payload as dat or json, not both");
    assertThat(value(out.get(3)).get("err").get("message").asText())
        .isEqualTo("invalid request: dst holds 0, not a twin id in [1, 2^32)");
    assertThat(value(out.get(4)).get("err").get("message").asText())
        .isEqualTo("invalid request: unsupported ver 2 (only 1)");
    assertThat(network.sent).isEmpty();
  }

  @Test
  void aBase64PayloadRoundTripsIntoTheOutcome() throws Exception {
    send(null, "{\"cmd\":\"c\",\"dst\":[7]}", new RecordHeaders());
    byte[] binary = {0, 1, 2, (byte) 0xff};
    answer(network.sent.get(0).uid(), Answer.response(7, binary, "application/octet-stream"));

    JsonNode outcome = value(responses.readRecord());
    assertThat(Base64.getDecoder().decode(outcome.get("dat").asText())).containsExactly(binary);
    assertThat(outcome.has("json")).isFalse();
    assertThat(outcome.get("shm").asText()).isEqualTo("application/octet-stream");
  }
}
