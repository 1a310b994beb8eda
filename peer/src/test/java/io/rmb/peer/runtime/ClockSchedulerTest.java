package io.rmb.peer.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rmb.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClockSchedulerTest {
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void neverRunsBeforeTheClockReachesTheInstant() {
    // the peer's clock is behind the executor's timer: the task must wait for the clock
    ManualClock clock = new ManualClock(1_000);
    Scheduler scheduler = Scheduler.of(executor, clock);
    AtomicLong ranAt = new AtomicLong(-1);
    scheduler.schedule(Instant.ofEpochMilli(1_050), () -> ranAt.set(clock.millis()));

    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
        .until(() -> ranAt.get() == -1);
    clock.set(1_050);
    await().atMost(Duration.ofSeconds(2)).until(() -> ranAt.get() != -1);
    assertThat(ranAt.get()).isEqualTo(1_050);
  }

  @Test
  void runsOnTimeWithTheSystemClockAndCanBeCancelled() {
    java.time.Clock clock = java.time.Clock.systemUTC();
    Scheduler scheduler = Scheduler.of(executor, clock);
    Instant at = clock.instant().plusMillis(100);
    AtomicLong ranAt = new AtomicLong(-1);
    AtomicLong cancelledRan = new AtomicLong(-1);
    scheduler.schedule(at, () -> ranAt.set(clock.millis()));
    scheduler.schedule(at, () -> cancelledRan.set(clock.millis())).cancel();

    await().atMost(Duration.ofSeconds(2)).until(() -> ranAt.get() != -1);
    assertThat(ranAt.get()).isBetween(at.toEpochMilli(), at.toEpochMilli() + 500);
    assertThat(cancelledRan.get()).isEqualTo(-1);
  }
}
