package io.rmb.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rmb.streams.metrics.GatewayMetrics;
import io.rmb.streams.record.Answer;
import io.rmb.streams.record.RecordCodec;
import io.rmb.streams.record.ValueFormat;
import io.rmb.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * At-least-once replays: after a crash Kafka Streams processes the records since the last
 * commit again, with the store as its changelog left it. An input request whose outcomes were
 * all written must then be a duplicate, not a new request (found by KafkaChaosIT: the replay
 * was sent again, the remote replay guard dropped it, and it timed out after its response).
 */
class RequestReplayTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ManualClock clock = new ManualClock(START);
  private final RecordingNetwork network = new RecordingNetwork();
  private final RecordCodec codec = new RecordCodec(clock);
  private final GatewayTopics topics = GatewayTestTopics.TOPICS;
  private MockProcessorContext<byte[], Output> context;
  private KeyValueStore<String, InFlight> inFlight;

  @BeforeEach
  void stores() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "replay-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "30000");
    context = new MockProcessorContext<>(props);
    inFlight = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(GatewayTopology.IN_FLIGHT_STORE), Serdes.String(),
        new InFlightSerde()).withLoggingDisabled().build();
    inFlight.init(context.getStateStoreContext(), inFlight);
    context.addStateStore(inFlight);
  }

  /** A new task instance on the same stores: what a restart after a crash looks like. */
  private RequestProcessor start() {
    RequestProcessor processor = new RequestProcessor(topics, network, clock,
        GatewayMetrics.standalone(), Duration.ofMillis(100), ValueFormat.JSON);
    processor.init(context);
    return processor;
  }

  private static Record<byte[], byte[]> request() {
    return new Record<>("k".getBytes(StandardCharsets.UTF_8), ("{\"ref\":\"r1\",\"cmd\":\"c\","
        + "\"dst\":[11],\"dat\":\"aGk=\",\"exp\":5,\"now\":" + START.getEpochSecond() + "}")
        .getBytes(StandardCharsets.UTF_8),
        START.toEpochMilli());
  }

  private void process(RequestProcessor processor, String topic, long offset,
      Record<byte[], byte[]> record) {
    context.setRecordMetadata(topic, 0, offset);
    processor.process(record);
  }

  private List<String> statuses() throws Exception {
    List<String> statuses = new ArrayList<>();
    for (var forwarded : context.forwarded()) {
      JsonNode value = JSON.readTree(forwarded.record().value().value());
      statuses.add(value.get("src").asText() + ":" + value.get("status").asText());
    }
    return statuses;
  }

  /** Runs the punctuator of the latest instance (each schedules one; the others are dead). */
  private void punctuate() {
    var punctuators = context.scheduledPunctuators();
    punctuators.get(punctuators.size() - 1).getPunctuator().punctuate(clock.millis());
  }

  @Test
  void aReplayedRequestThatWasAnsweredIsADuplicateEvenAfterItsDeadline() throws Exception {
    RequestProcessor first = start();
    process(first, "rmb.requests", 7, request());
    String uid = network.sent.get(0).uid();
    process(first, "rmb.gateway.answers", 3, new Record<>(uid.getBytes(StandardCharsets.UTF_8),
        codec.answer(Answer.response(11, "hi".getBytes(StandardCharsets.UTF_8), null)),
        START.toEpochMilli()));
    assertThat(statuses()).containsExactly("11:response");

    // crash: offsets were not committed, the store's changelog has the outcome
    context.resetForwards();
    clock.advance(Duration.ofSeconds(10)); // past the 5 s deadline
    RequestProcessor second = start();
    process(second, "rmb.requests", 7, request());
    punctuate();

    assertThat(statuses()).as("no second outcome for destination 11").isEmpty();
    assertThat(network.sent).as("not sent again").hasSize(1);
  }

  @Test
  void aDoneMarkerIsPurgedAfterItsRetention() throws Exception {
    RequestProcessor processor = start();
    process(processor, "rmb.requests", 1, request());
    clock.advance(Duration.ofSeconds(6));
    punctuate(); // the timeout; the request becomes a done marker
    assertThat(statuses()).containsExactly("11:timeout");
    String uid = network.sent.get(0).uid();
    assertThat(inFlight.get(uid).remaining()).isEmpty();

    clock.advance(Duration.ofSeconds(30));
    punctuate();
    assertThat(inFlight.get(uid)).as("kept: a replay may still come").isNotNull();

    clock.advance(Duration.ofSeconds(91)); // 3 commit intervals past the deadline
    punctuate();
    assertThat(inFlight.get(uid)).isNull();
    assertThat(statuses()).containsExactly("11:timeout");
  }

  @Test
  void aRestoredRequestWithoutAnAnswerTimesOutOnceFromTheRebuiltDeadlineIndex()
      throws Exception {
    RequestProcessor first = start();
    process(first, "rmb.requests", 4, request());
    InFlight active = network.sent.get(0);
    crashWithTheRequestInFlight(active); // the next instance starts without a deadline index

    start();
    assertThat(network.sent).as("handed to the network again").hasSize(2);
    clock.advance(Duration.ofSeconds(6)); // past the 5 s deadline, inside the replay window
    punctuate();
    assertThat(statuses()).as("its answer may still be replayed").isEmpty();

    clock.advance(Duration.ofMinutes(2)); // the replay window has closed
    punctuate();
    assertThat(statuses()).containsExactly("11:timeout");
    assertThat(inFlight.get(active.uid()).remaining()).as("a done marker").isEmpty();
  }

  @Test
  void aRestoredDoneMarkerIsPurgedARetentionAfterTheStart() throws Exception {
    RequestProcessor first = start();
    process(first, "rmb.requests", 1, request());
    String uid = network.sent.get(0).uid();
    process(first, "rmb.gateway.answers", 2, responseFrom11(uid));
    assertThat(inFlight.get(uid).remaining()).as("a done marker").isEmpty();
    context.resetForwards(); // a crash: the marker is restored from the changelog

    clock.advance(Duration.ofMinutes(10)); // long past the marker's first purge time
    start();
    punctuate();
    assertThat(inFlight.get(uid)).as("kept a retention after the start").isNotNull();

    clock.advance(Duration.ofSeconds(91)); // 3 commit intervals after the start
    punctuate();
    assertThat(inFlight.get(uid)).isNull();
    assertThat(statuses()).isEmpty();
  }

  @Test
  void aRestoredRequestWaitsForItsReplayedAnswerInsteadOfTimingOut() throws Exception {
    RequestProcessor first = start();
    process(first, "rmb.requests", 4, request());
    InFlight active = network.sent.get(0);
    String uid = active.uid();
    Record<byte[], byte[]> answer = responseFrom11(uid);
    process(first, "rmb.gateway.answers", 9, answer);
    assertThat(statuses()).containsExactly("11:response");

    crashWithTheRequestInFlight(active); // the cache was not flushed
    clock.advance(Duration.ofSeconds(20)); // a slow restart: past the 5 s deadline
    RequestProcessor second = start();
    punctuate();
    assertThat(statuses()).as("no timeout while its answer may be replayed").isEmpty();

    process(second, "rmb.gateway.answers", 9, answer); // the replay
    clock.advance(Duration.ofMinutes(5));
    punctuate();
    assertThat(statuses()).as("the same outcome again, nothing else")
        .containsExactly("11:response");
  }

  @Test
  void anAnswerReplayedBeforeItsRequestIsJoinedWithItInsteadOfResendingTheRequest()
      throws Exception {
    Record<byte[], byte[]> answer = answeredThenCrashed();
    RequestProcessor second = start();
    process(second, "rmb.gateway.answers", 9, answer); // the answers partition comes first
    process(second, "rmb.requests", 4, request());
    clock.advance(Duration.ofSeconds(10)); // past the deadline
    punctuate();

    assertThat(statuses()).as("the response again, no timeout").containsExactly("11:response");
    assertThat(network.sent).as("not sent again").hasSize(1);
  }

  @Test
  void aReplayedRequestPastItsDeadlineWaitsForItsAnswerInsteadOfTimingOutAtOnce()
      throws Exception {
    Record<byte[], byte[]> answer = answeredThenCrashed();
    clock.advance(Duration.ofSeconds(20)); // a slow restart: past the 5 s deadline
    RequestProcessor second = start();
    process(second, "rmb.requests", 4, request()); // the request partition comes first
    punctuate();
    assertThat(statuses()).as("no timeout while its answer may be replayed").isEmpty();
    process(second, "rmb.gateway.answers", 9, answer);
    clock.advance(Duration.ofMinutes(5));
    punctuate();

    assertThat(statuses()).as("the response again, no timeout").containsExactly("11:response");
    assertThat(network.sent).as("not sent again: its deadline has passed").hasSize(1);
  }

  @Test
  void anAnswerReplayedBeforeItsRequestPastItsDeadlineIsJoinedWithIt() throws Exception {
    Record<byte[], byte[]> answer = answeredThenCrashed();
    clock.advance(Duration.ofSeconds(20));
    RequestProcessor second = start();
    process(second, "rmb.gateway.answers", 9, answer);
    process(second, "rmb.requests", 4, request());
    clock.advance(Duration.ofMinutes(5));
    punctuate();

    assertThat(statuses()).as("the response again, no timeout").containsExactly("11:response");
    assertThat(network.sent).hasSize(1);
  }

  @Test
  void anUnansweredRequestReadPastItsDeadlineAfterAStartTimesOutOnceAfterTheRetention()
      throws Exception {
    clock.advance(Duration.ofSeconds(20)); // the request waited in its topic; 5 s deadline
    RequestProcessor processor = start();
    process(processor, "rmb.requests", 4, request());
    punctuate();
    assertThat(statuses()).as("it may be a replay: its answer may follow").isEmpty();

    clock.advance(Duration.ofSeconds(RequestProcessor.MIN_RETENTION_MILLIS / 1000 + 31));
    punctuate();
    punctuate();
    assertThat(statuses()).containsExactly("11:timeout");
    assertThat(network.sent).as("never sent: its deadline had passed").isEmpty();
  }

  @Test
  void aRequestWrittenAfterTheStartAndPastItsDeadlineTimesOutAtOnce() throws Exception {
    RequestProcessor processor = start();
    clock.advance(Duration.ofSeconds(20));
    process(processor, "rmb.requests", 4, new Record<>(request().key(), request().value(),
        START.plusSeconds(1).toEpochMilli())); // written after the start: not a replay

    assertThat(statuses()).containsExactly("11:timeout");
    assertThat(network.sent).isEmpty();
  }

  @Test
  void anAnswerWrittenAfterTheDeadlineOfARestoredRequestDoesNotFollowItsLostTimeout()
      throws Exception {
    RequestProcessor first = start();
    process(first, "rmb.requests", 4, request());
    InFlight active = network.sent.get(0);
    clock.advance(Duration.ofSeconds(6));
    punctuate();
    assertThat(statuses()).containsExactly("11:timeout");

    crashWithTheRequestInFlight(active); // the timeout's writes were lost
    clock.advance(Duration.ofSeconds(20));
    RequestProcessor second = start();
    // a relay's error queued while the gateway was down, delivered after the restart
    process(second, "rmb.gateway.answers", 12, new Record<>(
        active.uid().getBytes(StandardCharsets.UTF_8),
        codec.answer(Answer.error(11, 0, "late")), clock.millis()));
    clock.advance(Duration.ofMinutes(5));
    punctuate();

    assertThat(statuses()).as("the timeout again, not an error").containsExactly("11:timeout");
  }

  @Test
  void anErrorForARestoredRequestDoesNotWinOverItsReplayedResponse() throws Exception {
    RequestProcessor first = start();
    process(first, "rmb.requests", 4, request());
    InFlight active = network.sent.get(0);
    Record<byte[], byte[]> answer = responseFrom11(active.uid());
    process(first, "rmb.gateway.answers", 9, answer);
    assertThat(statuses()).containsExactly("11:response");

    crashWithTheRequestInFlight(active); // the cache was not flushed
    clock.advance(Duration.ofSeconds(2)); // a quick restart, before the 5 s deadline
    RequestProcessor second = start();
    assertThat(network.sent).as("resent at the start").hasSize(2);
    // the resend is not taken before the deadline: this run's peer says so (KafkaChaosIT
    // full size, 14 times), before the answers partition is replayed up to the response
    process(second, "rmb.gateway.answers", 12, new Record<>(
        active.uid().getBytes(StandardCharsets.UTF_8), codec.answer(Answer.error(11, 500,
            "request was not sent: no relay connection took it before the deadline")),
        clock.millis()));
    process(second, "rmb.gateway.answers", 9, answer); // the replay
    clock.advance(Duration.ofMinutes(5));
    punctuate();

    assertThat(statuses()).as("the response again, not the error")
        .containsExactly("11:response");
  }

  @Test
  void anErrorForARestoredRequestWithoutAReplayedAnswerIsItsOutcomeWhenTheWindowCloses()
      throws Exception {
    RequestProcessor first = start();
    process(first, "rmb.requests", 4, request());
    InFlight active = network.sent.get(0);
    // crash before anything reached the changelog but the request: nothing was answered
    clock.advance(Duration.ofSeconds(2));
    RequestProcessor second = start();
    process(second, "rmb.gateway.answers", 12, new Record<>(
        active.uid().getBytes(StandardCharsets.UTF_8), codec.answer(Answer.error(11, 500,
            "request was not sent")), clock.millis()));
    punctuate();
    assertThat(statuses()).as("deferred while answers may be replayed").isEmpty();

    clock.advance(Duration.ofMinutes(5));
    punctuate();
    assertThat(statuses()).as("the error, not a timeout").containsExactly("11:error");
  }

  /**
   * A first run sends the request and joins twin 11's response (its outcome is written), then
   * crashes before any of it reached the changelog; returns the answer record, which a replay
   * reads again.
   */
  private Record<byte[], byte[]> answeredThenCrashed() throws Exception {
    RequestProcessor first = start();
    process(first, "rmb.requests", 4, request());
    String uid = network.sent.get(0).uid();
    Record<byte[], byte[]> answer = responseFrom11(uid);
    process(first, "rmb.gateway.answers", 9, answer);
    assertThat(statuses()).containsExactly("11:response");
    crashBeforeTheChangelog(uid);
    return answer;
  }

  /**
   * A crash whose changelog still has {@code active} in flight (later store writes lost);
   * forwards forgotten.
   */
  private void crashWithTheRequestInFlight(InFlight active) {
    context.resetForwards();
    inFlight.put(active.uid(), active);
  }

  /** A crash before any write for {@code uid} reached the changelog; forwards forgotten. */
  private void crashBeforeTheChangelog(String uid) {
    context.resetForwards();
    inFlight.delete(uid);
  }

  /** Twin 11's response to {@code uid}, as the answers topic carries it. */
  private Record<byte[], byte[]> responseFrom11(String uid) {
    return new Record<>(uid.getBytes(StandardCharsets.UTF_8),
        codec.answer(Answer.response(11, "hi".getBytes(StandardCharsets.UTF_8), null)),
        START.toEpochMilli());
  }
}
