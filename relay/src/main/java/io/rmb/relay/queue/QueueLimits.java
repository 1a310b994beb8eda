package io.rmb.relay.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the in-memory offline queue. The defaults are rmb-rs's: 10,000 envelopes per
 * session and one hour after the last write.
 *
 * <p>Immutable; build with {@link #builder()} or use {@link #DEFAULT}.
 */
public final class QueueLimits {
  /** Default number of envelopes kept per session (rmb-rs {@code QUEUE_MAXLEN}). */
  public static final int DEFAULT_MAX_PER_SESSION = 10_000;
  /** Default idle time after which a session's queue is dropped (rmb-rs {@code QUEUE_EXPIRE}). */
  public static final Duration DEFAULT_IDLE_EXPIRY = Duration.ofHours(1);
  /** 10,000 per session, one hour idle expiry. */
  public static final QueueLimits DEFAULT = builder().build();

  private final int maxPerSession;
  private final Duration idleExpiry;

  private QueueLimits(Builder builder) {
    this.maxPerSession = builder.maxPerSession;
    this.idleExpiry = builder.idleExpiry;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Envelopes kept per session. A full queue drops its oldest envelope to take a new one, as
   * Redis {@code XADD MAXLEN} trimming does in rmb-rs: the oldest is the closest to its deadline.
   */
  public int maxPerSession() {
    return maxPerSession;
  }

  /** A session's queue is dropped, with everything in it, this long after its last write. */
  public Duration idleExpiry() {
    return idleExpiry;
  }

  @Override
  public String toString() {
    return "QueueLimits{maxPerSession=" + maxPerSession + ", idleExpiry=" + idleExpiry + "}";
  }

  /** Builder for {@link QueueLimits}. */
  public static final class Builder {
    private int maxPerSession = DEFAULT_MAX_PER_SESSION;
    private Duration idleExpiry = DEFAULT_IDLE_EXPIRY;

    private Builder() {}

    /** Envelopes kept per session; must be positive. */
    public Builder maxPerSession(int maxPerSession) {
      if (maxPerSession < 1) {
        throw new IllegalArgumentException("maxPerSession must be positive, got "
            + maxPerSession);
      }
      this.maxPerSession = maxPerSession;
      return this;
    }

    /** Idle time after the last write before a session's queue is dropped; must be positive. */
    public Builder idleExpiry(Duration idleExpiry) {
      Objects.requireNonNull(idleExpiry, "idleExpiry");
      if (idleExpiry.isNegative() || idleExpiry.isZero()) {
        throw new IllegalArgumentException("idleExpiry must be positive, got " + idleExpiry);
      }
      this.idleExpiry = idleExpiry;
      return this;
    }

    public QueueLimits build() {
      return new QueueLimits(this);
    }
  }
}
