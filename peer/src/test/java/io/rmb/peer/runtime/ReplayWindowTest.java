package io.rmb.peer.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.testing.ManualClock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
  private final ManualClock clock = new ManualClock(1_000_500); // unix second 1000, +0.5 s
  private final ReplayWindow<String> window = new ReplayWindow<>(3, clock);

  @Test
  void aKeyIsRememberedUntilTheClockReachesItsDeadline() {
    assertThat(window.firstSeen("a", 1010)).isTrue();
    assertThat(window.firstSeen("a", 1010)).isFalse();
    clock.set(1_009_999); // second 1009: still before the deadline
    assertThat(window.firstSeen("a", 1010)).isFalse();
    clock.set(1_010_000);
    assertThat(window.size()).as("purged lazily, on the next call").isEqualTo(1);
    assertThat(window.firstSeen("a", 1020)).isTrue();
  }

  @Test
  void aReplayDoesNotExtendTheFirstDeadline() {
    window.firstSeen("a", 1010);
    assertThat(window.firstSeen("a", 2000)).isFalse();
    clock.set(1_010_000);
    assertThat(window.firstSeen("a", 2000)).isTrue();
  }

  @Test
  void aKeyAlreadyAtOrPastItsDeadlineIsNotRecorded() {
    assertThat(window.firstSeen("now", 1000)).isTrue();
    assertThat(window.firstSeen("past", 10)).isTrue();
    assertThat(window.size()).isZero();
    assertThat(window.firstSeen("now", 1000)).isTrue();
  }

  @Test
  void atCapacityTheKeyClosestToItsDeadlineGoesFirstThenTheEarliestRecorded() {
    window.firstSeen("late", 1500);
    window.firstSeen("tie-1", 1100);
    window.firstSeen("tie-2", 1100);
    window.firstSeen("new", 1400); // evicts tie-1: same deadline as tie-2 but recorded first

    assertThat(window.size()).isEqualTo(3);
    assertThat(window.firstSeen("late", 1500)).isFalse();
    assertThat(window.firstSeen("tie-2", 1100)).isFalse();
    assertThat(window.firstSeen("new", 1400)).isFalse();
    assertThat(window.firstSeen("tie-1", 1100)).as("evicted, so new again").isTrue();
    assertThat(window.firstSeen("tie-2", 1100)).as("evicted by tie-1").isTrue();
  }

  @Test
  void aForgottenKeyIsNewAgainAndItsStaleSlotIsNotMistakenForTheNewOne() {
    window.firstSeen("a", 1010);
    window.forget("a");
    window.forget("never-seen");
    assertThat(window.size()).isZero();
    assertThat(window.firstSeen("a", 1100)).isTrue();
    // the stale entry (deadline 1010) comes up first and must not remove the new "a"
    clock.set(1_050_000);
    assertThat(window.firstSeen("a", 1100)).isFalse();
    assertThat(window.size()).isEqualTo(1);
  }

  @Test
  void forgottenKeysDoNotCountTowardsCapacity() {
    window.firstSeen("a", 1010);
    window.firstSeen("b", 1020);
    window.forget("a");
    window.firstSeen("c", 1030);
    window.firstSeen("d", 1040); // full now with b, c, d: nothing was evicted for c
    assertThat(window.firstSeen("b", 1020)).isFalse();
    assertThat(window.firstSeen("c", 1030)).isFalse();
    assertThat(window.firstSeen("d", 1040)).isFalse();
  }

  @Test
  void concurrentCallersSeeEachKeyFirstExactlyOnce() throws Exception {
    ReplayWindow<Integer> shared = new ReplayWindow<>(10_000, clock);
    AtomicInteger firsts = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    try {
      for (int t = 0; t < 4; t++) {
        pool.execute(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int k = 0; k < 1000; k++) {
            if (shared.firstSeen(k, 2000)) {
              firsts.incrementAndGet();
            }
          }
        });
      }
      go.countDown();
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(firsts.get()).isEqualTo(1000);
    assertThat(shared.size()).isEqualTo(1000);
  }

  @Test
  void refusesACapacityBelowOneAndNullArguments() {
    assertThatThrownBy(() -> new ReplayWindow<String>(0, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replay window capacity must be at least 1, got 0");
    assertThatThrownBy(() -> new ReplayWindow<String>(1, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> window.firstSeen(null, 1010))
        .isInstanceOf(NullPointerException.class);
  }
}
