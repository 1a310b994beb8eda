package io.rmb.relay.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.relay.queue.QueueStats;
import io.rmb.relay.routing.RouteFailure;
import io.rmb.relay.routing.RouteOutcome;
import org.junit.jupiter.api.Test;

class RelayCountersTest {
  @Test
  void snapshotMergesTheQueuesDropsWithTheRelays() {
    RelayCounters counters = new RelayCounters();
    counters.dropped(DropReason.EXPIRED);
    counters.dropped(DropReason.UNANSWERED);
    counters.dropped(DropReason.QUEUE_FULL);

    RelayStats stats = counters.snapshot(3, new QueueStats(7, 2, 10, 3, 4, 5, 6));

    assertThat(stats.dropped(DropReason.EXPIRED)).isEqualTo(7);
    assertThat(stats.dropped(DropReason.QUEUE_FULL)).isEqualTo(5);
    assertThat(stats.dropped(DropReason.QUEUE_IDLE)).isEqualTo(5);
    assertThat(stats.dropped(DropReason.UNANSWERED)).isOne();
    assertThat(stats.dropped(DropReason.QUEUE_ERROR)).isZero();
    assertThat(stats.queueDepth()).isEqualTo(7);
    assertThat(stats.queuedSessions()).isEqualTo(2);
    assertThat(stats.sessionsOpen()).isEqualTo(3);
  }

  @Test
  void everyReasonAndOutcomeIsPresentFromTheStart() {
    RelayStats stats = new RelayCounters().snapshot(0, QueueStats.EMPTY);

    assertThat(stats.drops()).containsOnlyKeys(DropReason.values());
    assertThat(stats.routed()).containsOnlyKeys(RouteOutcome.values());
    assertThat(stats.refused()).containsOnlyKeys(RouteFailure.values());
  }

  @Test
  void connectionsAreAGaugeAndACounter() {
    RelayCounters counters = new RelayCounters();
    counters.connectionOpened();
    counters.connectionOpened();
    counters.connectionClosed();
    counters.frameIn(10);
    counters.frameOut(20);
    counters.frameOut(5);

    RelayStats stats = counters.snapshot(0, QueueStats.EMPTY);

    assertThat(stats.connectionsOpen()).isOne();
    assertThat(stats.connectionsAccepted()).isEqualTo(2);
    assertThat(stats.bytesIn()).isEqualTo(10);
    assertThat(stats.framesOut()).isEqualTo(2);
    assertThat(stats.bytesOut()).isEqualTo(25);
  }

  @Test
  void snapshotIsImmutable() {
    RelayStats stats = new RelayCounters().snapshot(0, QueueStats.EMPTY);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> stats.drops().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
