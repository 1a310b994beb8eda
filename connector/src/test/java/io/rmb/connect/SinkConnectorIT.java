package io.rmb.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.junit.jupiter.api.Test;

/** The sink in a real Connect worker against a real relay and echo twins. */
class SinkConnectorIT extends ConnectIT {
  private static final long TIMEOUT_MS = 60_000;

  private static Map<String, String> sinkProps(String requests, String responses) {
    Map<String, String> props = peerProps();
    props.put("connector.class", RmbSinkConnector.class.getName());
    props.put("tasks.max", "1");
    props.put("topics", requests);
    props.put("rmb.responses.topic", responses);
    props.put("reporter.bootstrap.servers", connect.kafka().bootstrapServers());
    props.put("errors.tolerance", "all");
    props.put("errors.deadletterqueue.topic.name", requests + ".dlq");
    props.put("errors.deadletterqueue.topic.replication.factor", "1");
    props.put("errors.deadletterqueue.context.headers.enable", "true");
    return props;
  }

  private static List<ConsumerRecord<byte[], byte[]>> consume(int n, String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    connect.kafka().consume(n, TIMEOUT_MS, topic).forEach(records::add);
    return records;
  }

  private static Map<String, JsonNode> byRefAndSrc(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<String, JsonNode> outcomes = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      JsonNode outcome = json(record);
      outcomes.put(outcome.get("ref").asText() + "@" + outcome.get("src").asText(), outcome);
    }
    return outcomes;
  }

  private static long committedOffset(String connector) {
    List<ConnectorOffset> offsets = connect.connectorOffsets(connector).offsets();
    return offsets.stream().mapToLong(o -> ((Number) o.offset().get("kafka_offset")).longValue())
        .sum();
  }

  @Test
  void everyRequestGetsOneOutcomePerDestinationAndOffsetsFollowDurableOutcomes()
      throws Exception {
    connect.kafka().createTopic("a.requests", 1);
    connect.kafka().createTopic("a.responses", 1);
    connect.configureConnector("sink-a", sinkProps("a.requests", "a.responses"));
    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("sink-a", 1, "not running");

    connect.kafka().produce("a.requests", "k1",
        "{\"ref\":\"r1\",\"cmd\":\"test.echo\",\"dst\":[11,12],\"json\":{\"hello\":1}}");
    connect.kafka().produce("a.requests", "k2", "{\"ref\":\"r2\",\"cmd\":\"test.echo\",\"dst\":[99]}");
    connect.kafka().produce("a.requests", "k3",
        "{\"ref\":\"r3\",\"cmd\":\"test.never\",\"dst\":[11],\"exp\":2}");

    List<ConsumerRecord<byte[], byte[]>> records = consume(4, "a.responses");
    Map<String, JsonNode> outcomes = byRefAndSrc(records);
    assertThat(outcomes.keySet()).containsExactlyInAnyOrder("r1@11", "r1@12", "r2@99", "r3@11");
    JsonNode echo = outcomes.get("r1@11");
    assertThat(echo.get("status").asText()).isEqualTo("response");
    assertThat(echo.get("json").toString()).isEqualTo("{\"hello\":1}");
    assertThat(echo.get("uid").asText()).isEqualTo("sink-a.a.requests.0.0");
    JsonNode unknown = outcomes.get("r2@99");
    assertThat(unknown.get("status").asText()).isEqualTo("error");
    assertThat(unknown.get("err").get("code").asLong()).isEqualTo(103);
    JsonNode timeout = outcomes.get("r3@11");
    assertThat(timeout.get("status").asText()).isEqualTo("timeout");
    assertThat(timeout.get("err").get("code").asLong()).isEqualTo(408);
    ConsumerRecord<byte[], byte[]> first = records.stream()
        .filter(r -> json(r).get("ref").asText().equals("r1")).findFirst().orElseThrow();
    assertThat(new String(first.key())).isEqualTo("k1");
    assertThat(header(first, "rmb-status")).isEqualTo("response");
    assertThat(header(first, "input_record_topic")).isEqualTo("a.requests");
    assertThat(header(first, "input_record_offset")).isEqualTo("0");
    // exactly one outcome per destination: nothing beyond the four
    assertThat(connect.kafka().endOffset(new TopicPartition("a.responses", 0))).isEqualTo(4);
    // all three requests have durable outcomes: their offsets are committed
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(committedOffset("sink-a")).isEqualTo(3));
    // the worker (same JVM) shows the task's counters in JMX: three requests, none invalid
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(jmx("rmb_connect_sink_requests_total", "sink-a")).isEqualTo(3L);
      assertThat(jmx("rmb_connect_sink_invalid_total", "sink-a")).isEqualTo(0L);
    });
    connect.deleteConnector("sink-a");
  }

  @Test
  void poisonRecordsGoToTheDlqWithoutStallingTheirPartition() throws Exception {
    connect.kafka().createTopic("b.requests", 1);
    connect.kafka().createTopic("b.responses", 1);
    connect.configureConnector("sink-b", sinkProps("b.requests", "b.responses"));
    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("sink-b", 1, "not running");

    connect.kafka().produce("b.requests", "bad", "this is not json");
    connect.kafka().produce("b.requests", "k5", "{\"ref\":\"r5\",\"cmd\":\"c\",\"dst\":[0]}");
    connect.kafka().produce("b.requests", "k6", "{\"ref\":\"r6\",\"cmd\":\"test.echo\",\"dst\":[12]}");

    List<ConsumerRecord<byte[], byte[]>> dlq = consume(2, "b.requests.dlq");
    assertThat(dlq).extracting(r -> new String(r.key())).containsExactly("bad", "k5");
    assertThat(header(dlq.get(1), "__connect.errors.exception.message"))
        .contains("dst holds 0, not a twin id");
    Map<String, JsonNode> outcomes = byRefAndSrc(consume(2, "b.responses"));
    assertThat(outcomes.keySet()).containsExactlyInAnyOrder("r5@0", "r6@12");
    assertThat(outcomes.get("r5@0").get("err").get("code").asLong()).isEqualTo(101);
    assertThat(outcomes.get("r6@12").get("status").asText()).isEqualTo("response");
    connect.deleteConnector("sink-b");
  }

  @Test
  void aRestartMidFlightLeavesNoRequestWithoutAnOutcome() throws Exception {
    connect.kafka().createTopic("c.requests", 1);
    connect.kafka().createTopic("c.responses", 1);
    connect.configureConnector("sink-c", sinkProps("c.requests", "c.responses"));
    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("sink-c", 1, "not running");
    int n = 10;
    for (int i = 0; i < n; i++) {
      connect.kafka().produce("c.requests", "k" + i,
          "{\"ref\":\"s" + i + "\",\"cmd\":\"test.slow\",\"dst\":[11],\"exp\":6}");
    }
    // the answers take 2 s: restart the task while every request is in flight
    connect.restartConnectorAndTasks("sink-c", false, true, false);
    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("sink-c", 1, "not running");

    List<JsonNode> outcomes = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      outcomes.clear();
      connect.kafka().consumeAll(10_000, "c.responses").forEach(r -> outcomes.add(json(r)));
      assertThat(outcomes.stream().map(o -> o.get("ref").asText()).collect(Collectors.toSet()))
          .hasSize(n);
    });
    // duplicates (at-least-once across the restart) carry the same uid as the first outcome
    Map<String, Set<String>> uids = outcomes.stream().collect(Collectors.groupingBy(
        o -> o.get("ref").asText(), Collectors.mapping(o -> o.get("uid").asText(),
            Collectors.toSet())));
    assertThat(uids.values()).allSatisfy(u -> assertThat(u).hasSize(1));
    assertThat(outcomes).allSatisfy(o -> assertThat(o.get("status").asText())
        .isIn("response", "timeout"));
    connect.deleteConnector("sink-c");
  }
}
