package io.rmb.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rmb.streams.TestNet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink in a two-worker Connect cluster: back-pressure with a small in-flight limit and a
 * task that moves to the other worker mid-flight, against a real relay and echo twins.
 */
class SinkFailoverIT {
  private static EmbeddedConnectCluster connect;
  private static TestNet net;
  @TempDir
  static Path dir;

  @BeforeAll
  static void startCluster() throws Exception {
    net = new TestNet(dir);
    Map<String, String> worker = new HashMap<>(); // EmbeddedConnect mutates it
    worker.put("offset.flush.interval.ms", "500");
    // why: a departed worker's tasks are otherwise held back for 5 minutes
    worker.put("scheduled.rebalance.max.delay.ms", "1000");
    Properties broker = new Properties();
    broker.put("transaction.state.log.replication.factor", "1");
    broker.put("transaction.state.log.min.isr", "1");
    connect = new EmbeddedConnectCluster.Builder().name("rmb-failover").numWorkers(2)
        .numBrokers(1).workerProps(worker).brokerProps(broker).build();
    connect.start();
  }

  @AfterAll
  static void stopCluster() {
    if (connect != null) {
      connect.stop();
    }
    if (net != null) {
      net.close();
    }
  }

  private static Map<String, String> sinkProps(String requests, String responses) {
    Map<String, String> props = new HashMap<>();
    props.put("rmb.mnemonic", "//Alice");
    props.put("rmb.twin.id", "7");
    props.put("rmb.relays", net.relayUrl());
    props.put("rmb.twins.file", net.twins.toString());
    props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    props.put("value.converter.schemas.enable", "false");
    props.put("connector.class", RmbSinkConnector.class.getName());
    props.put("tasks.max", "1");
    props.put("topics", requests);
    props.put("rmb.responses.topic", responses);
    // no reporter.bootstrap.servers: the outcomes follow the consumer's cluster
    props.put("consumer.override.bootstrap.servers", connect.kafka().bootstrapServers());
    return props;
  }

  private static void produceSlow(String topic, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      connect.kafka().produce(topic, "k" + i,
          "{\"ref\":\"" + prefix + i + "\",\"cmd\":\"test.slow\",\"dst\":[11],\"exp\":30}");
    }
  }

  /** Waits until every ref has an outcome; returns all outcomes read (duplicates included). */
  private static List<JsonNode> outcomesOf(String topic, int refs) {
    List<JsonNode> outcomes = new ArrayList<>();
    await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> {
      outcomes.clear();
      connect.kafka().consumeAll(10_000, topic).forEach(r -> outcomes.add(ConnectIT.json(r)));
      assertThat(outcomes.stream().map(o -> o.get("ref").asText()).collect(Collectors.toSet()))
          .hasSize(refs);
    });
    return outcomes;
  }

  private static Map<String, Set<String>> uidsByRef(List<JsonNode> outcomes) {
    return outcomes.stream().collect(Collectors.groupingBy(o -> o.get("ref").asText(),
        Collectors.mapping(o -> o.get("uid").asText(), Collectors.toSet())));
  }

  @Test
  void aSmallInFlightLimitPausesAndResumesAndEveryRequestGetsExactlyOneOutcome()
      throws Exception {
    connect.kafka().createTopic("bp.requests", 1);
    connect.kafka().createTopic("bp.responses", 1);
    Map<String, String> props = sinkProps("bp.requests", "bp.responses");
    props.put("rmb.max.in.flight", "2"); // 20 slow requests: the task must pause ~10 times
    connect.configureConnector("sink-bp", props);
    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("sink-bp", 1, "not running");
    int n = 20;
    produceSlow("bp.requests", "b", n);

    List<JsonNode> outcomes = outcomesOf("bp.responses", n);
    // no restart happened: one outcome per request, each an echo (not a timeout)
    assertThat(outcomes).hasSize(n);
    assertThat(outcomes).allSatisfy(o -> assertThat(o.get("status").asText())
        .isEqualTo("response"));
    connect.deleteConnector("sink-bp");
  }

  @Test
  void aTaskMovedToTheOtherWorkerMidFlightLeavesNoRequestWithoutAnOutcome() throws Exception {
    connect.kafka().createTopic("mv.requests", 1);
    connect.kafka().createTopic("mv.responses", 1);
    connect.configureConnector("sink-mv", sinkProps("mv.requests", "mv.responses"));
    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("sink-mv", 1, "not running");
    String before = connect.connectorStatus("sink-mv").tasks().get(0).workerId();
    WorkerHandle host = connect.workers().stream()
        .filter(w -> before.endsWith(":" + w.url().getPort())).findFirst()
        .orElseThrow(() -> new AssertionError("no worker is " + before));
    int n = 10;
    produceSlow("mv.requests", "m", n);
    // the answers take 2 s: stop the task's worker while requests are in flight
    connect.removeWorker(host);
    await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
      var task = connect.connectorStatus("sink-mv").tasks().get(0);
      assertThat(task.workerId()).isNotEqualTo(before);
      assertThat(task.state()).isEqualTo("RUNNING");
    });

    List<JsonNode> outcomes = outcomesOf("mv.responses", n);
    // duplicates (at-least-once across the move) carry the uid of the first outcome
    assertThat(uidsByRef(outcomes).values()).allSatisfy(u -> assertThat(u).hasSize(1));
    assertThat(outcomes).allSatisfy(o -> assertThat(o.get("status").asText())
        .isIn("response", "timeout"));
    connect.deleteConnector("sink-mv");
  }
}
