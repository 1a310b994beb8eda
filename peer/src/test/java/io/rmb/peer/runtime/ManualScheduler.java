package io.rmb.peer.runtime;

import io.rmb.testing.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A scheduler driven by a {@link ManualClock}: tasks run when the test advances time. */
final class ManualScheduler implements Scheduler {
  private final ManualClock clock;
  private final List<Task> tasks = new ArrayList<>();
  private long order;

  ManualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  private final class Task implements Cancellable {
    final long at;
    final long seq;
    final Runnable runnable;
    boolean cancelled;

    Task(long at, long seq, Runnable runnable) {
      this.at = at;
      this.seq = seq;
      this.runnable = runnable;
    }

    @Override
    public void cancel() {
      synchronized (ManualScheduler.this) {
        cancelled = true;
        tasks.remove(this);
      }
    }
  }

  @Override
  public synchronized Cancellable schedule(Instant at, Runnable task) {
    Task t = new Task(at.toEpochMilli(), order++, task);
    tasks.add(t);
    return t;
  }

  /** Moves the clock to {@code millis}, running every task due by then, in time order. */
  void advanceTo(long millis) {
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream()
            .filter(t -> t.at <= millis)
            .min(Comparator.<Task>comparingLong(t -> t.at).thenComparingLong(t -> t.seq))
            .orElse(null);
        if (next == null) {
          break;
        }
        tasks.remove(next);
      }
      clock.set(Math.max(clock.millis(), next.at));
      next.runnable.run();
    }
    clock.set(millis);
  }

  synchronized int scheduled() {
    return tasks.size();
  }
}
