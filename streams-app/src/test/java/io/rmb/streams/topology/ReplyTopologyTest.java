package io.rmb.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.streams.metrics.GatewayMetrics;
import io.rmb.streams.record.Reply;
import io.rmb.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Service mode: replies on {@code rmb.replies} checked against the incoming index. */
class ReplyTopologyTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final ManualClock clock = new ManualClock(START);
  private final RecordingNetwork network = new RecordingNetwork();
  private final GatewayMetrics metrics = GatewayMetrics.standalone();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> replies;
  private TestInputTopic<String, IncomingEntry> index;
  private TestOutputTopic<byte[], byte[]> dlq;

  @BeforeEach
  void start() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "gateway-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(GatewayTopology.build(GatewayTopics.defaults(), network,
        clock, metrics, Duration.ofMillis(100), true), props, START);
    replies = driver.createInputTopic("rmb.replies", new ByteArraySerializer(),
        new ByteArraySerializer());
    index = driver.createInputTopic("rmb.gateway.incoming-index", new StringSerializer(),
        IncomingEntry.serde().serializer());
    dlq = driver.createOutputTopic("rmb.dlq", new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void reply(String json) {
    replies.pipeInput(null, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aReplyToAKnownRequestIsHandedToTheNetwork() {
    index.pipeInput("uid-1", new IncomingEntry("41:s1", START.toEpochMilli() + 60_000));
    index.pipeInput("uid-2", new IncomingEntry("42", START.toEpochMilli() + 60_000));

    reply("{\"ver\":1,\"ref\":\"uid-1\",\"dst\":\"41:s1\",\"json\":{\"sum\":3}}");
    reply("{\"ver\":1,\"ref\":\"uid-2\",\"dst\":42,\"err\":{\"code\":7,\"message\":\"no\"}}");

    assertThat(network.replies).hasSize(2);
    Reply ok = network.replies.get(0);
    assertThat(ok.ref()).isEqualTo("uid-1");
    assertThat(ok.twin()).isEqualTo(41);
    assertThat(ok.connection()).contains("s1");
    assertThat(new String(ok.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"sum\":3}");
    assertThat(ok.schema()).isEqualTo("application/json");
    assertThat(ok.isError()).isFalse();
    Reply error = network.replies.get(1);
    assertThat(error.isError()).isTrue();
    assertThat(error.errorCode()).isEqualTo(7);
    assertThat(error.errorMessage()).isEqualTo("no");
    assertThat(error.connection()).isEmpty();
  }

  @Test
  void repliesToUnknownOrExpiredRequestsAreCountedAndDropped() {
    index.pipeInput("uid-1", new IncomingEntry("41", START.toEpochMilli() + 1_000));
    index.pipeInput("uid-3", new IncomingEntry("43", START.toEpochMilli() + 60_000));
    index.pipeInput("uid-3", null); // answered already: tombstone

    reply("{\"ref\":\"nobody\",\"dst\":\"41\",\"dat\":\"\"}");
    reply("{\"ref\":\"uid-3\",\"dst\":\"43\",\"dat\":\"\"}");
    clock.advance(Duration.ofSeconds(2));
    reply("{\"ref\":\"uid-1\",\"dst\":\"41\",\"dat\":\"aGk=\"}");
    assertThat(metrics.counted("rmb.gateway.replies", "result", "unknown"))
        .as("parked: the index may still learn them").isZero();
    driver.advanceWallClockTime(Duration.ofMillis(200)); // the grace (2 s) has passed

    assertThat(network.replies).isEmpty();
    assertThat(metrics.counted("rmb.gateway.replies", "result", "unknown")).isEqualTo(2);
    assertThat(metrics.counted("rmb.gateway.replies", "result", "expired")).isEqualTo(1);
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void duplicatesOfAParkedReplyDoNotExtendItsGrace() {
    reply("{\"ref\":\"gone\",\"dst\":\"41\",\"dat\":\"\"}");
    for (int i = 0; i < 5; i++) { // a client retrying its reply every 500 ms
      clock.advance(Duration.ofMillis(500));
      reply("{\"ref\":\"gone\",\"dst\":\"41\",\"dat\":\"\"}");
    }
    driver.advanceWallClockTime(Duration.ofMillis(200)); // 2.5 s since the first: past the grace

    assertThat(metrics.counted("rmb.gateway.replies", "result", "parked")).isEqualTo(1);
    assertThat(metrics.counted("rmb.gateway.replies", "result", "duplicate")).isEqualTo(5);
    assertThat(metrics.counted("rmb.gateway.replies", "result", "unknown")).isEqualTo(1);
    assertThat(network.replies).isEmpty();
  }

  @Test
  void aReplyThatOvertakesItsIndexEntryIsSentOnceTheIndexKnowsIt() {
    reply("{\"ref\":\"uid-5\",\"dst\":\"45\",\"json\":1}");
    assertThat(network.replies).isEmpty();

    index.pipeInput("uid-5", new IncomingEntry("45", START.toEpochMilli() + 60_000));
    clock.advance(Duration.ofMillis(300));
    driver.advanceWallClockTime(Duration.ofMillis(300));

    assertThat(network.replies).singleElement()
        .satisfies(r -> assertThat(r.ref()).isEqualTo("uid-5"));
    assertThat(metrics.counted("rmb.gateway.replies", "result", "parked")).isEqualTo(1);
    assertThat(metrics.counted("rmb.gateway.replies", "result", "unknown")).isZero();
  }

  @Test
  void malformedRepliesGoToTheDlq() {
    index.pipeInput("uid-1", new IncomingEntry("41", START.toEpochMilli() + 60_000));

    reply("{\"dst\":\"41\"}");
    reply("{\"ref\":\"uid-1\",\"dst\":\"x\"}");
    reply("{\"ref\":\"uid-1\",\"dst\":\"44\",\"dat\":\"\"}");
    reply("[1]");

    List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    assertThat(dead).extracting(r -> new String(r.headers().lastHeader("rmb-dlq-reason").value(),
        StandardCharsets.UTF_8)).containsExactly(
        "invalid reply: ref (the uid of the incoming request) is required",
        "invalid reply: dst twin must be in [1, 2^32), got \"x\"",
        "invalid reply: dst 44 is not the src 41 of request uid-1",
        "value is not a JSON object");
    assertThat(dead.get(0).headers().lastHeader("rmb-dlq-topic").value())
        .isEqualTo("rmb.replies".getBytes(StandardCharsets.UTF_8));
    assertThat(network.replies).isEmpty();
  }
}
