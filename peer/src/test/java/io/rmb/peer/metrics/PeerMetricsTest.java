package io.rmb.peer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rmb.peer.runtime.DropReason;
import io.rmb.peer.runtime.PeerStats;
import io.rmb.peer.transport.RelayEndpoint;
import io.rmb.peer.transport.RelayState;
import io.rmb.peer.transport.RelayStatus;
import io.rmb.peer.twin.PublishOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PeerMetricsTest {

  private static PeerStats stats(long sent, long duplicates, int pending) {
    return new PeerStats(10, sent, 3, 4, 5, 6, 7, 8, 9, pending,
        Map.of(DropReason.DUPLICATE, duplicates), List.of());
  }

  @Test
  void countersAreReadFromTheLatestStatsOnEachScrape() {
    AtomicReference<PeerStats> current = new AtomicReference<>(stats(2, 1, 0));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new PeerMetrics(current::get, Tags.of("twin", "7")).bindTo(registry);

    assertThat(registry.get("rmb.peer.requests.sent").tag("twin", "7").functionCounter()
        .count()).isEqualTo(2);
    current.set(stats(40, 3, 5));
    assertThat(registry.get("rmb.peer.requests.sent").functionCounter().count()).isEqualTo(40);
    assertThat(registry.get("rmb.peer.dropped").tag("reason", "duplicate").functionCounter()
        .count()).isEqualTo(3);
    assertThat(registry.get("rmb.peer.dropped").tag("reason", "expired").functionCounter()
        .count()).isZero();
    assertThat(registry.get("rmb.peer.pending.requests").gauge().value()).isEqualTo(5);
    assertThat(registry.get("rmb.peer.answers.unmatched").functionCounter().count())
        .isEqualTo(7);
  }

  @Test
  void connectedRelaysAreCountedAndPrometheusNamesFollowTheConvention() {
    PeerStats withRelays = new PeerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), List.of(
        statusOf(RelayState.CONNECTED), statusOf(RelayState.CONNECTING),
        statusOf(RelayState.CONNECTED)));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new PeerMetrics(() -> withRelays, Tags.of("twin", "7")).bindTo(registry);

    String scrape = registry.scrape();
    assertThat(scrape).contains("rmb_peer_relays_connected{twin=\"7\"} 2");
    assertThat(scrape).contains("rmb_peer_requests_sent_total{twin=\"7\"} 0");
  }

  @Test
  void resentAndForgottenFramesAreSummedOverRelays() {
    PeerStats withResends = new PeerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), List.of(
        statusOf(RelayState.WAITING, 12, 1), statusOf(RelayState.CONNECTED, 3, 0)));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new PeerMetrics(() -> withResends, Tags.of("twin", "7")).bindTo(registry);

    String scrape = registry.scrape();
    assertThat(scrape).contains("rmb_peer_frames_resent_total{twin=\"7\"} 15");
    assertThat(scrape).contains("rmb_peer_resend_forgotten_total{twin=\"7\"} 1");
  }

  @Test
  void publishOutcomesAreCountedAndTheLastOneIsFlagged() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PublishMetrics metrics = new PublishMetrics(registry);
    metrics.accept(new PublishOutcome(PublishOutcome.Status.FAILED, OptionalLong.of(7),
        "spec 150 unknown", Duration.ofSeconds(1)));
    metrics.accept(new PublishOutcome(PublishOutcome.Status.UPDATED, OptionalLong.of(7),
        "finalized", Duration.ofSeconds(2)));

    assertThat(registry.get("rmb.twin.publish").tag("status", "failed").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("rmb.twin.publish").tag("status", "updated").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("rmb.twin.publish.last").tag("status", "updated").gauge().value())
        .isEqualTo(1);
    assertThat(registry.get("rmb.twin.publish.last").tag("status", "failed").gauge().value())
        .isZero();
  }

  private static RelayStatus statusOf(RelayState state) {
    return statusOf(state, 0, 0);
  }

  private static RelayStatus statusOf(RelayState state, long resent, long forgotten) {
    return new RelayStatus(RelayEndpoint.parse("ws://relay.test"), state, 0, 0, 0, 0, 0, 0, 0, 0,
        resent, forgotten);
  }
}
