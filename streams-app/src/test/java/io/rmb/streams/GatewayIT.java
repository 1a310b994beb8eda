package io.rmb.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.RequestHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway on a real in-process Kafka cluster with a real relay and remote twins: one
 * gateway for the class, each test with its own refs.
 */
class GatewayIT {
  @TempDir static Path dir;
  private static TestNet net;
  private static KafkaIo kafka;
  private static StreamsGateway gateway;
  private static KafkaIo.Collector responses;
  private static KafkaIo.Collector dlq;
  private static KafkaIo.Collector incoming;

  @BeforeAll
  static void start() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    net = new TestNet(dir);
    kafka = new KafkaIo(bootstrap);
    gateway = StreamsGateway.start(SharedKafka.config("it", dir.resolve("state"), Map.of()),
        net.gatewayPeer());
    await().atMost(Duration.ofSeconds(60)).until(gateway::isReady);
    responses = kafka.collect("it.responses");
    dlq = kafka.collect("it.dlq");
    incoming = kafka.collect("it.incoming");
  }

  @AfterAll
  static void stop() throws Exception {
    responses.close();
    dlq.close();
    incoming.close();
    gateway.close();
    kafka.close();
    net.close();
  }

  private static List<ConsumerRecord<byte[], byte[]>> outcomesOf(String ref, int count) {
    await().atMost(Duration.ofSeconds(30)).until(() -> responses.records.stream()
        .filter(r -> ref.equals(KafkaIo.json(r).get("ref").asText())).count() >= count);
    return responses.records.stream()
        .filter(r -> ref.equals(KafkaIo.json(r).get("ref").asText())).toList();
  }

  @Test
  void fansOutToThreeTwinsWithOneResponseEach() throws Exception {
    kafka.send("it.requests", "fan-key", "{\"ref\":\"fan\",\"cmd\":\"test.echo\","
        + "\"dst\":[11,12,13],\"json\":{\"n\":1}}", new RecordHeader("rmb-correlation-id",
        "c-fan".getBytes(StandardCharsets.UTF_8)));

    List<ConsumerRecord<byte[], byte[]>> outcomes = outcomesOf("fan", 3);
    assertThat(outcomes).extracting(r -> KafkaIo.json(r).get("src").asText())
        .containsExactlyInAnyOrder("11", "12", "13");
    for (ConsumerRecord<byte[], byte[]> outcome : outcomes) {
      JsonNode value = KafkaIo.json(outcome);
      assertThat(value.get("status").asText()).isEqualTo("response");
      assertThat(value.get("json").get("n").asInt()).isEqualTo(1);
      assertThat(new String(outcome.key(), StandardCharsets.UTF_8)).isEqualTo("fan-key");
      assertThat(KafkaIo.header(outcome, "rmb-correlation-id")).isEqualTo("c-fan");
      assertThat(KafkaIo.header(outcome, "input_record_topic")).isEqualTo("it.requests");
    }
    assertThat(outcomes).extracting(r -> KafkaIo.json(r).get("uid").asText()).containsOnly(
        KafkaIo.json(outcomes.get(0)).get("uid").asText());
  }

  @Test
  void aRemoteErrorAndAnUnknownTwinBecomeErrorOutcomes() throws Exception {
    kafka.send("it.requests", null, "{\"ref\":\"err\",\"cmd\":\"test.fail\",\"dst\":[11,99]}");

    Map<String, JsonNode> bySrc = new java.util.HashMap<>();
    outcomesOf("err", 2).forEach(r -> bySrc.put(KafkaIo.json(r).get("src").asText(),
        KafkaIo.json(r)));
    assertThat(bySrc.get("11").get("status").asText()).isEqualTo("error");
    assertThat(bySrc.get("11").get("err").get("code").asLong()).isZero();
    assertThat(bySrc.get("11").get("err").get("message").asText()).isEqualTo("boom");
    assertThat(bySrc.get("99").get("status").asText()).isEqualTo("error");
    assertThat(bySrc.get("99").get("err").get("code").asLong()).isEqualTo(103);
  }

  @Test
  void aTwinThatNeverAnswersTimesOutAtTheDeadline() throws Exception {
    long sent = System.currentTimeMillis();
    kafka.send("it.requests", null, "{\"ref\":\"slowpoke\",\"cmd\":\"test.never\","
        + "\"dst\":[12],\"exp\":2}");

    JsonNode timeout = KafkaIo.json(outcomesOf("slowpoke", 1).get(0));
    assertThat(timeout.get("status").asText()).isEqualTo("timeout");
    assertThat(timeout.get("err").get("code").asLong()).isEqualTo(408);
    assertThat(timeout.get("now").asLong() * 1000).isGreaterThanOrEqualTo(sent / 1000 * 1000);
  }

  @Test
  void poisonRecordsGoToTheDlqAndTheRestIsServed() throws Exception {
    kafka.send("it.requests", "bad", "{oops");
    kafka.send("it.requests", "bad2", "{\"ref\":\"named-bad\",\"cmd\":\"x\"}");
    kafka.send("it.requests", "good", "{\"ref\":\"after-poison\",\"cmd\":\"test.echo\","
        + "\"dst\":[13],\"dat\":\"aGk=\"}");

    assertThat(KafkaIo.json(outcomesOf("after-poison", 1).get(0)).get("dat").asText())
        .isEqualTo("aGk=");
    JsonNode named = KafkaIo.json(outcomesOf("named-bad", 1).get(0));
    assertThat(named.get("err").get("code").asLong()).isEqualTo(101);
    await().atMost(Duration.ofSeconds(30)).until(() -> dlq.records.stream()
        .filter(r -> "it.requests".equals(KafkaIo.header(r, "rmb-dlq-topic"))).count() >= 2);
    assertThat(dlq.records).extracting(r -> KafkaIo.header(r, "rmb-dlq-reason"))
        .anyMatch(reason -> reason.startsWith("value is not JSON"))
        .contains("invalid request: dst must be a non-empty list of twin ids");
  }

  @Test
  void serviceModeRoundTrip() throws Exception {
    RequestHandle handle = net.remote(11).request(List.of(TestNet.GATEWAY), "svc.hello",
        "{\"who\":\"bob\"}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));

    await().atMost(Duration.ofSeconds(30)).until(() -> incoming.records.stream()
        .anyMatch(r -> handle.uid().equals(KafkaIo.json(r).get("ref").asText())));
    ConsumerRecord<byte[], byte[]> request = incoming.records.stream()
        .filter(r -> handle.uid().equals(KafkaIo.json(r).get("ref").asText())).findFirst()
        .orElseThrow();
    JsonNode value = KafkaIo.json(request);
    assertThat(value.get("src").asText()).isEqualTo("11");
    assertThat(value.get("cmd").asText()).isEqualTo("svc.hello");
    assertThat(new String(request.key(), StandardCharsets.UTF_8)).isEqualTo("11");
    assertThat(KafkaIo.header(request, "rmb-cmd")).isEqualTo("svc.hello");
    // the envelope deadline is second-granular and rounded up by the sender
    assertThat(value.get("exp").asLong()).isBetween(1L, 31L);

    kafka.send("it.replies", null, "{\"ver\":1,\"ref\":\"" + handle.uid()
        + "\",\"dst\":\"11\",\"json\":{\"hello\":\"bob\"}}");

    Outcome outcome = handle.outcome(TestNet.GATEWAY).get(30, TimeUnit.SECONDS);
    assertThat(outcome).isInstanceOf(Outcome.Response.class);
    assertThat(((Outcome.Response) outcome).payloadText()).isEqualTo("{\"hello\":\"bob\"}");

    // a second reply to the same request is dropped as unknown once the first went out
    await().atMost(Duration.ofSeconds(10)).until(() ->
        gateway.metrics().counted("rmb.gateway.replies", "result", "sent") >= 1);
    double unknownBefore = gateway.metrics().counted("rmb.gateway.replies", "result", "unknown");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      kafka.send("it.replies", null, "{\"ref\":\"" + handle.uid() + "\",\"dst\":\"11\"}");
      assertThat(gateway.metrics().counted("rmb.gateway.replies", "result", "unknown"))
          .isGreaterThan(unknownBefore);
    });
  }

  @Test
  void metricsAreExposedForPrometheus() throws Exception {
    kafka.send("it.requests", null, "{\"ref\":\"metered\",\"cmd\":\"test.echo\",\"dst\":[11]}");
    outcomesOf("metered", 1);

    String scrape = gateway.registry().scrape();
    assertThat(scrape).contains("rmb_gateway_outcomes_total{status=\"response\"}")
        .contains("rmb_gateway_latency_seconds_bucket").contains("rmb_gateway_inflight")
        .contains("rmb_peer_requests_sent_total").contains("kafka_stream");
  }
}
