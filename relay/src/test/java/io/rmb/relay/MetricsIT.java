package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.relay.routing.RouteOutcome;
import io.rmb.relay.testing.Prometheus;
import io.rmb.relay.testing.RawHttp;
import io.rmb.relay.testing.TestPeer;
import io.rmb.relay.testing.TestTwins;
import io.rmb.relay.testing.Twins;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} scraped after known traffic: the figures match what was sent. */
@Tag("integration")
class MetricsIT {
  private static final int ECHOES = 10;
  private static final int QUEUED = 3;

  @TempDir Path dir;

  @Test
  void scrapedMetricsMatchTheTrafficSent() throws Exception {
    Twins twins = Twins.write(dir, Map.of(1L, TestTwins.DOMAIN, 2L, TestTwins.DOMAIN,
        3L, TestTwins.DOMAIN));
    try (RelayServer relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
            .domain(TestTwins.DOMAIN).twinsFile(twins.file()).build());
        RmbPeer echo = twins.echo(2, Twins.ws(relay.port()));
        RmbPeer client = twins.peer(1, Twins.ws(relay.port())).start()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> echo.isConnected()
          && client.isConnected());

      for (int i = 0; i < ECHOES; i++) {
        byte[] payload = ("n" + i).getBytes(StandardCharsets.UTF_8);
        assertThat(client.request(List.of(2L), "echo", payload, Duration.ofSeconds(20))
            .outcome(2).get(20, TimeUnit.SECONDS)).isInstanceOf(Outcome.Response.class);
      }
      for (int i = 0; i < QUEUED; i++) {
        client.request(List.of(3L), "later", new byte[100], Duration.ofSeconds(60));
      }
      // counters move when a route or write completes, which may be just after the delivery
      await().atMost(TestPeer.PATIENCE)
          .until(() -> relay.stats().routed(RouteOutcome.QUEUED) == QUEUED
              && relay.stats().routed(RouteOutcome.DELIVERED) == 2 * ECHOES
              && relay.stats().framesOut() == 2 * ECHOES);

      RawHttp.Response health = RawHttp.request(relay.port(), "GET", "/health", new byte[0]);
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("ok");

      RawHttp.Response scrape = RawHttp.request(relay.port(), "GET", "/metrics", new byte[0]);
      assertThat(scrape.status()).isEqualTo(200);
      Map<String, Double> m = Prometheus.parse(scrape.body());

      long in = 2 * ECHOES + QUEUED;
      long out = 2 * ECHOES;
      assertThat(Prometheus.value(m, "rmb_relay_messages_total{direction=\"in\"}"))
          .isEqualTo(in);
      assertThat(Prometheus.value(m, "rmb_relay_messages_total{direction=\"out\"}"))
          .isEqualTo(out);
      assertThat(Prometheus.value(m, "rmb_relay_routed_total{outcome=\"delivered\"}"))
          .isEqualTo(out);
      assertThat(Prometheus.value(m, "rmb_relay_routed_total{outcome=\"queued\"}"))
          .isEqualTo(QUEUED);
      assertThat(Prometheus.value(m, "rmb_relay_queue_depth")).isEqualTo(QUEUED);
      assertThat(Prometheus.value(m, "rmb_relay_sessions")).isEqualTo(2);
      // the relay forwards bytes unchanged: what went out is what came in, minus the queued
      double bytesIn = Prometheus.value(m, "rmb_relay_bytes_total{direction=\"in\"}");
      double bytesOut = Prometheus.value(m, "rmb_relay_bytes_total{direction=\"out\"}");
      assertThat(bytesIn).isEqualTo(relay.stats().bytesIn());
      assertThat(bytesIn - bytesOut).isGreaterThan(QUEUED * 100);
      assertThat(Prometheus.value(m, "rmb_relay_dropped_total{reason=\"expired\"}")).isZero();
      assertThat(Prometheus.value(m, "rmb_relay_session_evictions_total")).isZero();
      assertThat(Prometheus.value(m, "rmb_relay_federation_ingress_total{result=\"accepted\"}"))
          .isZero();
    }
  }
}
