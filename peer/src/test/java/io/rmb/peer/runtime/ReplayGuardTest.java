package io.rmb.peer.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.testing.ManualClock;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
  private final ManualClock clock = new ManualClock(100_000); // unix second 100

  @Test
  void remembersAnEnvelopeUntilItsDeadline() {
    ReplayGuard guard = new ReplayGuard(10, clock);
    assertThat(guard.firstSeen(7, "u", true, 160)).isTrue();
    clock.set(159_999);
    assertThat(guard.firstSeen(7, "u", true, 160)).isFalse();
    // at the deadline the TTL check rejects the envelope anyway, so it may be forgotten
    clock.set(160_000);
    assertThat(guard.firstSeen(7, "u", true, 160)).isTrue();
  }

  @Test
  void keysOnSenderUidAndDirection() {
    ReplayGuard guard = new ReplayGuard(10, clock);
    assertThat(guard.firstSeen(7, "u", true, 200)).isTrue();
    assertThat(guard.firstSeen(8, "u", true, 200)).as("other sender").isTrue();
    assertThat(guard.firstSeen(7, "v", true, 200)).as("other uid").isTrue();
    // our request to ourselves and our answer share (twin, uid): both must pass
    assertThat(guard.firstSeen(7, "u", false, 200)).as("answer").isTrue();
    assertThat(guard.size()).isEqualTo(4);
  }

  @Test
  void memoryIsBoundedByForgettingTheEnvelopeClosestToItsDeadline() {
    ReplayGuard guard = new ReplayGuard(2, clock);
    guard.firstSeen(1, "late", true, 500);
    guard.firstSeen(1, "soon", true, 150);
    guard.firstSeen(1, "third", true, 400);
    assertThat(guard.size()).isEqualTo(2);
    assertThat(guard.firstSeen(1, "late", true, 500)).as("kept").isFalse();
    assertThat(guard.firstSeen(1, "third", true, 400)).as("kept").isFalse();
    assertThat(guard.firstSeen(1, "soon", true, 150)).as("evicted").isTrue();
  }

  @Test
  void capacityMustBePositive() {
    assertThatThrownBy(() -> new ReplayGuard(0, clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
  }
}
