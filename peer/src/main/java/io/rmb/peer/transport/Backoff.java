package io.rmb.peer.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * How long to wait before reconnect attempt number {@code attempt} (1 for the first retry after
 * a failure). Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Backoff {
  /** rmb-peer's first retry waits about this long. */
  Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
  /** Cap of the default backoff. */
  Duration DEFAULT_MAX = Duration.ofSeconds(30);

  /** The delay before attempt {@code attempt} (>= 1); never negative. */
  Duration delay(int attempt);

  /**
   * Exponential backoff with "equal jitter": the base doubles from {@code initial} up to
   * {@code max}, and each delay is drawn uniformly from [base/2, base], so peers that lost the
   * same relay do not all come back in the same millisecond.
   *
   * @throws IllegalArgumentException when initial is not positive or max is below initial
   */
  static Backoff exponential(Duration initial, Duration max, Random random) {
    Objects.requireNonNull(random, "random");
    long initialMillis = positiveMillis(initial, "initial backoff");
    long maxMillis = positiveMillis(max, "maximum backoff");
    if (maxMillis < initialMillis) {
      throw new IllegalArgumentException("maximum backoff " + max + " is below the initial "
          + initial);
    }
    return attempt -> {
      int step = Math.max(0, Math.min(attempt - 1, 62));
      long base = initialMillis;
      for (int i = 0; i < step && base < maxMillis; i++) {
        base *= 2;
      }
      base = Math.min(base, maxMillis);
      long half = base / 2;
      long jitter;
      synchronized (random) {
        jitter = half == 0 ? 0 : (long) (random.nextDouble() * (base - half + 1));
      }
      return Duration.ofMillis(Math.min(base, half + jitter));
    };
  }

  /** The same delay for every attempt; for tests and for callers that pace retries themselves. */
  static Backoff fixed(Duration delay) {
    long millis = Objects.requireNonNull(delay, "delay").toMillis();
    if (millis < 0) {
      throw new IllegalArgumentException("backoff delay must not be negative, got " + delay);
    }
    Duration copy = Duration.ofMillis(millis);
    return attempt -> copy;
  }

  private static long positiveMillis(Duration value, String what) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
    return value.toMillis();
  }
}
