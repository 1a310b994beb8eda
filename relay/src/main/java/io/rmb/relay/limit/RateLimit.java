package io.rmb.relay.limit;

/**
 * What one twin may send through the relay per window: at most {@code count} envelopes and
 * {@code size} bytes (rmb-rs {@code --limit COUNT SIZE}).
 *
 * @param count envelopes per window; positive
 * @param size bytes per window (an envelope larger than this is always refused); positive
 */
public record RateLimit(long count, long size) {
  public RateLimit {
    if (count < 1) {
      throw new IllegalArgumentException("rate limit count must be positive, got " + count);
    }
    if (size < 1) {
      throw new IllegalArgumentException("rate limit size must be positive, got " + size);
    }
  }
}
