package io.rmb.relay.limit;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-twin fixed-window limiter, like rmb-rs's: windows are aligned to multiples of the window
 * length in unix time; each envelope counts one and its size, and is refused when either total
 * of the current window exceeds the {@link RateLimit} (refused envelopes count too, as in
 * rmb-rs, so a twin that keeps flooding stays limited until the window ends).
 *
 * <p>Limits are per relay instance. Thread-safe; {@link #evictIdle()} forgets twins whose
 * window has ended.
 */
public final class FixedWindowRateLimiter {
  /** rmb-rs's window. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

  private final RateLimit limit;
  private final long windowMillis;
  private final Clock clock;
  private final ConcurrentHashMap<Long, Window> windows = new ConcurrentHashMap<>();

  public FixedWindowRateLimiter(RateLimit limit, Duration window, Clock clock) {
    this.limit = Objects.requireNonNull(limit, "limit");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, got " + window);
    }
    this.windowMillis = window.toMillis();
  }

  /** The limit it enforces. */
  public RateLimit limit() {
    return limit;
  }

  /** Counts an envelope of {@code bytes} from {@code twin}; false when it is over the limit. */
  public boolean tryAcquire(long twin, int bytes) {
    if (bytes > limit.size()) {
      return false;
    }
    long window = Math.floorDiv(clock.millis(), windowMillis);
    boolean[] allowed = new boolean[1];
    windows.compute(twin, (id, current) -> {
      Window next = current == null || current.start != window ? new Window(window) : current;
      next.count++;
      next.size += bytes;
      allowed[0] = next.count <= limit.count() && next.size <= limit.size();
      return next;
    });
    return allowed[0];
  }

  /** Forgets twins whose window has ended (the relay calls this periodically). */
  public void evictIdle() {
    long window = Math.floorDiv(clock.millis(), windowMillis);
    windows.values().removeIf(w -> w.start != window);
  }

  @Override
  public String toString() {
    return "FixedWindowRateLimiter{" + limit + ", window=" + windowMillis + " ms}";
  }

  private static final class Window {
    final long start;
    long count;
    long size;

    Window(long start) {
      this.start = start;
    }
  }
}
