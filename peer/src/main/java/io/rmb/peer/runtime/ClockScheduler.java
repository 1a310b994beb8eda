package io.rmb.peer.runtime;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link Scheduler} on a {@link ScheduledExecutorService}. The executor measures delays with
 * its own timer, which can run slightly ahead of the peer's clock; a task that fires early
 * re-arms itself for the remainder, so it never runs before its instant.
 */
final class ClockScheduler implements Scheduler {
  private final ScheduledExecutorService executor;
  private final Clock clock;

  ClockScheduler(ScheduledExecutorService executor, Clock clock) {
    this.executor = executor;
    this.clock = clock;
  }

  @Override
  public Cancellable schedule(Instant at, Runnable task) {
    Task t = new Task(at.toEpochMilli(), task);
    t.arm();
    return t;
  }

  private final class Task implements Cancellable {
    private final long at;
    private final Runnable task;
    private volatile boolean cancelled;
    private volatile ScheduledFuture<?> future;

    Task(long at, Runnable task) {
      this.at = at;
      this.task = task;
    }

    void arm() {
      long delay = Math.max(0, at - clock.millis());
      try {
        future = executor.schedule(this::fire, delay, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // shutting down: the owner completes whatever is still pending itself
      }
    }

    private void fire() {
      if (cancelled) {
        return;
      }
      if (clock.millis() < at) {
        arm();
        return;
      }
      task.run();
    }

    @Override
    public void cancel() {
      cancelled = true;
      ScheduledFuture<?> f = future;
      if (f != null) {
        f.cancel(false);
      }
    }
  }
}
