package io.rmb.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guarantees across restarts: no request without an outcome when the gateway stops with
 * requests in flight and a new instance (fresh local state: restored from the changelog)
 * takes over; and exactly one outcome per destination under {@code exactly_once_v2}.
 */
class GatewayRestartIT {
  @TempDir static Path dir;
  private static TestNet net;
  private static KafkaIo kafka;

  @BeforeAll
  static void start() throws Exception {
    net = new TestNet(dir);
    kafka = new KafkaIo(SharedKafka.bootstrapServers());
  }

  @AfterAll
  static void stop() {
    kafka.close();
    net.close();
  }

  private static String request(String ref, String cmd, String dst) {
    return "{\"ref\":\"" + ref + "\",\"cmd\":\"" + cmd + "\",\"dst\":" + dst
        + ",\"dat\":\"aGk=\",\"exp\":60}";
  }

  @Test
  void aRestartMidFlightLeavesNoRequestWithoutAnOutcome() throws Exception {
    StreamsGateway first = StreamsGateway.start(
        SharedKafka.config("restart", dir.resolve("state-1"), Map.of()), net.gatewayPeer());
    await().atMost(Duration.ofSeconds(60)).until(first::isReady);
    for (int i = 0; i < 20; i++) {
      kafka.send("restart.requests", "k" + i, request("r" + i, "test.slow", "[11,12]"));
    }
    // all stored and handed to the peer; the twins answer 2 s later
    await().atMost(Duration.ofSeconds(30)).until(() -> first.metrics().inFlight() == 40);
    first.close();

    try (StreamsGateway second = StreamsGateway.start(
        SharedKafka.config("restart", dir.resolve("state-2"), Map.of()), net.gatewayPeer());
        KafkaIo.Collector outcomes = kafka.collect("restart.responses")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> distinct(outcomes.values()).size() == 40);
      List<JsonNode> values = outcomes.values();
      assertThat(values).allSatisfy(v -> assertThat(v.get("status").asText())
          .as("answered, not timed out: %s", v).isEqualTo("response"));
      assertThat(distinct(values)).containsAll(expected(20, "r", 11, 12));
      assertThat(second.metrics().counted("rmb.gateway.resent", "result", "resent"))
          .as("the second instance took over requests still in flight").isPositive();
    }
  }

  @Test
  void exactlyOnceV2WritesOneOutcomePerDestinationAcrossARestart() throws Exception {
    Map<String, String> eos = Map.of("processing.guarantee", "exactly_once_v2");
    StreamsGateway first = StreamsGateway.start(
        SharedKafka.config("eos", dir.resolve("eos-1"), eos), net.gatewayPeer());
    await().atMost(Duration.ofSeconds(60)).until(first::isReady);
    for (int i = 0; i < 15; i++) {
      kafka.send("eos.requests", "k" + i, request("e" + i, "test.echo", "[11,12,13]"));
    }
    try (KafkaIo.Collector outcomes = kafka.collect("eos.responses")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.records.size() >= 10);
      first.close();
      try (StreamsGateway second = StreamsGateway.start(
          SharedKafka.config("eos", dir.resolve("eos-2"), eos), net.gatewayPeer())) {
        for (int i = 15; i < 30; i++) {
          kafka.send("eos.requests", "k" + i, request("e" + i, "test.echo", "[11,12,13]"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.records.size() >= 90);
        // a few more commit intervals: a duplicate would show up here
        long committedAt = second.metrics().registry().find("kafka.stream.thread.commit.total")
            .functionCounters().stream().mapToLong(c -> (long) c.count()).sum();
        await().atMost(Duration.ofSeconds(30)).until(() -> second.metrics().registry()
            .find("kafka.stream.thread.commit.total").functionCounters().stream()
            .mapToLong(c -> (long) c.count()).sum() > committedAt + 3);
      }
      List<JsonNode> values = outcomes.values();
      assertThat(values).hasSize(90);
      assertThat(distinct(values)).hasSize(90).containsAll(expected(30, "e", 11, 12, 13));
      assertThat(values).allSatisfy(v -> assertThat(v.get("status").asText())
          .isEqualTo("response"));
    }
  }

  private static Set<String> distinct(List<JsonNode> outcomes) {
    return outcomes.stream().map(v -> v.get("ref").asText() + "/" + v.get("src").asText())
        .collect(Collectors.toSet());
  }

  private static Set<String> expected(int requests, String prefix, long... twins) {
    Set<String> keys = new java.util.HashSet<>();
    for (int i = 0; i < requests; i++) {
      for (long twin : twins) {
        keys.add(prefix + i + "/" + twin);
      }
    }
    return keys;
  }
}
