package io.rmb.peer.runtime;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs tasks at an instant of the peer's {@link Clock}: request timeouts fire exactly at the
 * deadline, never before it. Injectable so tests can drive time by hand.
 */
@FunctionalInterface
public interface Scheduler {
  /** Runs {@code task} once the clock reaches {@code at} (at once if it already has). */
  Cancellable schedule(Instant at, Runnable task);

  /** A scheduled task that may be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Prevents the task from running if it has not started; idempotent. */
    void cancel();
  }

  /**
   * A scheduler on {@code executor} that checks {@code clock} when a task fires and waits the
   * remainder if the executor's timer ran ahead of the clock.
   */
  static Scheduler of(ScheduledExecutorService executor, Clock clock) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(clock, "clock");
    return new ClockScheduler(executor, clock);
  }
}
