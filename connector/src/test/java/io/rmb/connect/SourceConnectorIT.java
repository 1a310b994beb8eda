package io.rmb.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.RequestHandle;
import io.rmb.streams.TestNet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The source with exactly-once support required, and the sink's replies path: a remote twin
 * calls our twin, the request appears on the incoming topic (committed transactionally), a
 * Kafka-side "service" replies on the replies topic and the remote caller gets the response.
 */
class SourceConnectorIT extends ConnectIT {
  @Test
  void remoteRequestsReachKafkaExactlyOnceAndRepliesReachTheCaller() throws Exception {
    connect.kafka().createTopic("rmb.incoming", 1);
    connect.kafka().createTopic("rmb.replies", 1);
    Map<String, String> source = peerProps();
    source.put("connector.class", RmbSourceConnector.class.getName());
    source.put("tasks.max", "3");
    source.put("exactly.once.support", "required");
    connect.configureConnector("source", source);
    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("source", 1,
        "source not running with exactly one task");

    Map<String, String> sink = peerProps();
    sink.put("connector.class", RmbSinkConnector.class.getName());
    sink.put("tasks.max", "1");
    sink.put("topics", "rmb.replies");
    sink.put("reporter.bootstrap.servers", connect.kafka().bootstrapServers());
    connect.configureConnector("replies", sink);
    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("replies", 1, "not running");

    List<RequestHandle> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(net.remote(11).request(List.of(TestNet.GATEWAY), "svc.hello",
          ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30)));
    }
    // read committed only: the source's records are visible once its transaction commits
    List<ConsumerRecord<byte[], byte[]>> incoming = new ArrayList<>();
    connect.kafka().consume(3, 60_000, Map.of("isolation.level", "read_committed"),
        "rmb.incoming").forEach(incoming::add);
    assertThat(incoming).hasSize(3);
    // the worker wrote them with the task's transactional producer (KIP-618)
    try (var admin = connect.kafka().createAdminClient()) {
      assertThat(admin.listTransactions().all().get(30, TimeUnit.SECONDS))
          .extracting(t -> t.transactionalId()).anyMatch(id -> id.endsWith("-source-0"));
    }
    for (ConsumerRecord<byte[], byte[]> record : incoming) {
      JsonNode request = json(record);
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("11");
      assertThat(header(record, "rmb-cmd")).isEqualTo("svc.hello");
      assertThat(request.get("src").asText()).isEqualTo("11");
      assertThat(request.get("cmd").asText()).isEqualTo("svc.hello");
      String payload = new String(Base64.getDecoder().decode(request.get("dat").asText()),
          StandardCharsets.UTF_8);
      assertThat(payload).startsWith("{\"n\":");
      connect.kafka().produce("rmb.replies", null, "{\"ref\":\"" + request.get("ref").asText()
          + "\",\"dst\":\"11\",\"dat\":\"" + Base64.getEncoder().encodeToString(
              ("re:" + payload).getBytes(StandardCharsets.UTF_8)) + "\"}");
    }
    for (int i = 0; i < 3; i++) {
      Outcome outcome = calls.get(i).outcome(TestNet.GATEWAY).get(60, TimeUnit.SECONDS);
      assertThat(outcome).isInstanceOf(Outcome.Response.class);
      assertThat(((Outcome.Response) outcome).payloadText()).isEqualTo("re:{\"n\":" + i + "}");
    }
    // the worker (same JVM) shows both tasks' counters in JMX
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(jmx("rmb_connect_source_published_total", "source")).isEqualTo(3L);
      assertThat(jmx("rmb_connect_source_rejected_total", "source")).isEqualTo(0L);
      assertThat(jmx("rmb_connect_source_waiting", "source")).isEqualTo(0L);
      assertThat(jmx("rmb_connect_sink_replies_sent_total", "replies")).isEqualTo(3L);
    });
    // what Prometheus would scrape through the exporter rules shipped for workers, and every
    // Connect metric the Grafana dashboard queries is among it
    Map<String, Double> scraped =
        JmxExporterScrape.scrape(Path.of("../docker/connect/jmx-exporter.yml"));
    assertThat(scraped).containsEntry(
        "rmb_connect_source_published_total{connector=source,task=0}", 3.0);
    assertThat(scraped).containsEntry(
        "rmb_connect_sink_replies_sent_total{connector=replies,task=0}", 3.0);
    assertThat(JmxExporterScrape.names(scraped))
        .containsAll(JmxExporterScrape.dashboardNames(
            Path.of("../docs/grafana/rmb-dashboard.json"), "rmb_connect_"));
    connect.deleteConnector("replies");
    connect.deleteConnector("source");
  }
}
