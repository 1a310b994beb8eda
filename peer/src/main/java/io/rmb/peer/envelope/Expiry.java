package io.rmb.peer.envelope;

import io.rmb.peer.envelope.ProtocolException.EnvelopeExpiredException;
import io.rmb.proto.Envelope;
import java.time.Clock;

/**
 * Envelope time rules (wire.md section 2) as pure functions of an injected {@link Clock}.
 *
 * <p>{@code timestamp} is unix seconds, {@code expiration} a TTL in seconds counted from the
 * timestamp. Stamping re-bases an envelope on "now" while keeping its absolute deadline, so
 * an envelope that waited in a queue does not get extra life.
 */
public final class Expiry {
  /** TTL used when a sender gives none (rmb-peer's DEFAULT_TTL). */
  public static final long DEFAULT_TTL = 300;
  /** Largest TTL a sender may ask for (rmb-peer's MAX_TTL). */
  public static final long MAX_TTL = 1800;

  private Expiry() {}

  /** Unix seconds according to {@code clock}. */
  public static long now(Clock clock) {
    return Math.floorDiv(clock.millis(), 1000L);
  }

  /**
   * Sender-side clamp: 0 becomes {@link #DEFAULT_TTL}, anything above {@link #MAX_TTL} becomes
   * {@link #MAX_TTL}.
   */
  public static long clampTtl(long ttl) {
    if (ttl <= 0) {
      return DEFAULT_TTL;
    }
    return Math.min(ttl, MAX_TTL);
  }

  /**
   * The (timestamp, expiration) pair after stamping at {@code now}: if {@code timestamp} is 0
   * or in the future the envelope starts now with its full expiration; otherwise the time
   * already spent is taken off the expiration (saturating at 0).
   *
   * @return a two-element array {timestamp, expiration}
   */
  public static long[] stamp(long now, long timestamp, long expiration) {
    // values are uint64 on the wire: compare unsigned so a huge timestamp is "in the future"
    if (timestamp == 0 || Long.compareUnsigned(timestamp, now) > 0) {
      return new long[] {now, expiration};
    }
    long spent = now - timestamp;
    long left = Long.compareUnsigned(expiration, spent) > 0 ? expiration - spent : 0;
    return new long[] {now, left};
  }

  /** Stamps {@code builder} in place at the clock's current second. */
  public static Envelope.Builder stamp(Envelope.Builder builder, Clock clock) {
    long[] stamped = stamp(now(clock), builder.getTimestamp(), builder.getExpiration());
    return builder.setTimestamp(stamped[0]).setExpiration(stamped[1]);
  }

  /**
   * Seconds left before the deadline {@code timestamp + expiration}; zero or negative means
   * expired. Computed without overflow for any unsigned 64-bit inputs that fit in a long.
   */
  public static long ttl(long now, long timestamp, long expiration) {
    long deadline = deadline(timestamp, expiration);
    return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - now;
  }

  /** Seconds left for {@code envelope} at the clock's current second. */
  public static long ttl(Envelope envelope, Clock clock) {
    return ttl(now(clock), envelope.getTimestamp(), envelope.getExpiration());
  }

  /** The absolute deadline in unix seconds, saturating at {@link Long#MAX_VALUE}. */
  public static long deadline(long timestamp, long expiration) {
    if (timestamp < 0 || expiration < 0) {
      // uint64 values beyond Long.MAX_VALUE: treat as "far future", never as negative
      return Long.MAX_VALUE;
    }
    long sum = timestamp + expiration;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  /**
   * Throws code 102 when {@code envelope} is expired at the clock's current second.
   *
   * @return the seconds left
   */
  public static long requireAlive(Envelope envelope, Clock clock) {
    long left = ttl(envelope, clock);
    if (left <= 0) {
      throw new EnvelopeExpiredException(
          "envelope " + envelope.getUid() + " expired " + (-left) + " s ago (timestamp "
              + Long.toUnsignedString(envelope.getTimestamp()) + ", expiration "
              + Long.toUnsignedString(envelope.getExpiration()) + ")");
    }
    return left;
  }
}
