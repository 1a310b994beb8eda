package io.rmb.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private static final TopicPartition P0 = new TopicPartition("rmb.requests", 0);
  private static final TopicPartition P1 = new TopicPartition("rmb.requests", 1);

  @Test
  void commitsOnlyUpToTheLastContiguousFinishedRecord() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.track(P0, 10, 2);
    tracker.track(P0, 11, 1);
    tracker.track(P0, 12, 1);
    assertThat(tracker.committable()).isEmpty();
    tracker.complete(P0, 11);
    tracker.complete(P0, 12);
    assertThat(tracker.committable()).isEmpty(); // 10 still misses both outcomes
    tracker.complete(P0, 10);
    assertThat(tracker.committable()).isEmpty(); // and one more
    assertThat(tracker.pending()).isEqualTo(1);
    tracker.complete(P0, 10);
    assertThat(tracker.committable()).containsEntry(P0, new OffsetAndMetadata(13));
    assertThat(tracker.pending()).isZero();
  }

  @Test
  void partitionsAreIndependentAndRevokedOnesAreForgotten() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.track(P0, 0, 1);
    tracker.track(P1, 5, 1);
    tracker.complete(P1, 5);
    assertThat(tracker.committable()).containsOnlyKeys(P1);
    tracker.revoke(List.of(P0));
    assertThat(tracker.pending()).isZero();
    tracker.complete(P0, 0); // a late outcome of a revoked partition changes nothing
    assertThat(tracker.committable()).containsOnlyKeys(P1);
  }
}
