package io.rmb.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rmb.streams.metrics.GatewayMetrics;
import io.rmb.streams.record.Answer;
import io.rmb.streams.record.RecordCodec;
import io.rmb.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers handed over in-process ({@link LocalAnswers}) next to their answers-topic copy:
 * one outcome per destination either way, the copy counted as delivered, never as unknown.
 */
class LocalAnswersTopologyTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ManualClock clock = new ManualClock(START);
  private final LocalAnswers local = new LocalAnswers();
  private final RecordingNetwork network = new RecordingNetwork() {
    @Override
    public Optional<LocalAnswers> localAnswers() {
      return Optional.of(local);
    }
  };
  private final GatewayMetrics metrics = GatewayMetrics.standalone();
  private final RecordCodec codec = new RecordCodec(clock);
  private final GatewayTopics topics = GatewayTestTopics.TOPICS;
  private GatewayTestTopics fixture;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> requests;
  private TestInputTopic<String, byte[]> answers;
  private TestOutputTopic<byte[], byte[]> responses;

  @BeforeEach
  void start() {
    fixture = new GatewayTestTopics("local-answers-test",
        GatewayTopology.build(topics, network, clock, metrics,
        Duration.ofMillis(100), true), START);
    driver = fixture.driver;
    requests = fixture.requests;
    answers = fixture.answers;
    responses = fixture.responses;
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private InFlight request(String ref, String destinations, int expSeconds) {
    int before = network.sent.size();
    requests.pipeInput(new TestRecord<>(bytes(ref), bytes("{\"ref\":\"" + ref
        + "\",\"cmd\":\"c\",\"dst\":[" + destinations + "],\"exp\":" + expSeconds + "}"),
        clock.instant()));
    assertThat(network.sent).hasSize(before + 1);
    return network.sent.get(before);
  }

  private void topicCopy(String uid, Answer answer) {
    answers.pipeInput(uid, codec.answer(answer));
  }

  private double dropped(String reason) {
    return metrics.counted("rmb.gateway.answers.dropped", "reason", reason);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<JsonNode> outcomes(TestOutputTopic<byte[], byte[]> topic) {
    return topic.readValuesToList().stream().map(v -> {
      try {
        return JSON.readTree(v);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }).toList();
  }

  @Test
  void anAnswerHandedOverInProcessIsWrittenWithoutWaitingForItsTopicCopy() {
    InFlight sent = request("r-1", "5", 60);
    Answer answer = Answer.response(5, bytes("\"hi\""), null);

    assertThat(local.offer(0, sent.uid(), answer)).isTrue();
    driver.advanceWallClockTime(RequestProcessor.LOCAL_DRAIN_INTERVAL);

    List<JsonNode> out = outcomes(responses);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).get("ref").asText()).isEqualTo("r-1");
    assertThat(out.get(0).get("src").asLong()).isEqualTo(5);
    assertThat(out.get(0).get("status").asText()).isEqualTo("response");
    assertThat(metrics.inFlight()).isZero();

    topicCopy(sent.uid(), answer); // the copy written for crash safety arrives later
    assertThat(responses.isEmpty()).isTrue();
    assertThat(dropped("delivered")).isEqualTo(1);
    assertThat(dropped("unknown")).isZero();
  }

  @Test
  void theNextRecordDrainsHandedOverAnswersBeforeItIsProcessed() {
    InFlight sent = request("r-2", "5,6", 60);
    Answer five = Answer.response(5, bytes("1"), null);
    local.offer(0, sent.uid(), five);

    topicCopy(sent.uid(), five); // no punctuation in between: the record triggers the drain

    List<JsonNode> out = outcomes(responses);
    assertThat(out).extracting(n -> n.get("src").asLong()).containsExactly(5L);
    assertThat(dropped("delivered")).isEqualTo(1);

    topicCopy(sent.uid(), Answer.error(6, 0, "failed")); // only on the topic: joined as before
    out = outcomes(responses);
    assertThat(out).extracting(n -> n.get("src").asLong()).containsExactly(6L);
    assertThat(out.get(0).get("status").asText()).isEqualTo("error");
    assertThat(metrics.inFlight()).isZero();
  }

  @Test
  void handedOverAnswersTheStoreCannotJoinAreLeftToTheTopicCopy() {
    InFlight sent = request("r-3", "5", 1);
    clock.advance(Duration.ofSeconds(2));
    driver.advanceWallClockTime(Duration.ofMillis(100)); // the deadline passes: a timeout
    assertThat(outcomes(responses)).extracting(n -> n.get("status").asText())
        .containsExactly("timeout");
    Answer late = Answer.response(5, bytes("1"), null);

    local.offer(0, sent.uid(), late);
    local.offer(0, "not-ours.0", Answer.response(5, bytes("1"), null));
    driver.advanceWallClockTime(RequestProcessor.LOCAL_DRAIN_INTERVAL);
    assertThat(responses.isEmpty()).isTrue();

    topicCopy(sent.uid(), late); // not delivered in-process, so judged as before
    assertThat(responses.isEmpty()).isTrue();
    assertThat(dropped("delivered")).isZero();
    assertThat(dropped("unknown")).isEqualTo(1);
  }

  @Test
  void aDuplicateHandedOverInProcessWritesNoSecondOutcome() {
    InFlight sent = request("r-4", "5", 60);
    Answer first = Answer.response(5, bytes("1"), null);
    local.offer(0, sent.uid(), first);
    local.offer(0, sent.uid(), Answer.response(5, bytes("2"), null));
    driver.advanceWallClockTime(RequestProcessor.LOCAL_DRAIN_INTERVAL);

    assertThat(outcomes(responses)).hasSize(1);
    topicCopy(sent.uid(), first);
    assertThat(responses.isEmpty()).isTrue();
  }
}
