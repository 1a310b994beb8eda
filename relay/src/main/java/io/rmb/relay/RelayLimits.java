package io.rmb.relay;

import io.rmb.relay.limit.RateLimit;
import io.rmb.relay.websocket.KeepAlive;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The abuse limits of a relay (issue 9, docs/security.md): sizes, JWT lifetime, keep-alive
 * and the per-twin rate limit. Immutable; part of {@link RelayOptions}, whose builder sets
 * these through the same-named methods (this class keeps their defaults and checks).
 */
public final class RelayLimits {
  /** Default largest envelope (WebSocket message) accepted: 1 MiB. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 1 << 20;
  /** Default largest HTTP request body accepted: 1 MiB. */
  public static final int DEFAULT_MAX_BODY_SIZE = 1 << 20;
  /**
   * Default longest JWT lifetime ({@code exp - iat}): one hour. Peers mint 60 s tokens and the
   * TypeScript client 1000 s ones; a captured token is usable until its {@code exp}, so an
   * unbounded lifetime would let one capture open sessions for years.
   */
  public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofHours(1);
  /** The defaults: 1 MiB frames and bodies, 1 h tokens, {@link KeepAlive#DEFAULT}, no rate limit. */
  public static final RelayLimits DEFAULT = new RelayLimits(DEFAULT_MAX_FRAME_SIZE,
      DEFAULT_MAX_BODY_SIZE, DEFAULT_MAX_TOKEN_LIFETIME, KeepAlive.DEFAULT, null);

  private final int maxFrameSize;
  private final int maxBodySize;
  private final Duration maxTokenLifetime; // null: unbounded
  private final KeepAlive keepAlive;
  private final RateLimit rateLimit; // null: none

  private RelayLimits(int maxFrameSize, int maxBodySize, Duration maxTokenLifetime,
      KeepAlive keepAlive, RateLimit rateLimit) {
    this.maxFrameSize = positive(maxFrameSize, "maxFrameSize");
    this.maxBodySize = positive(maxBodySize, "maxBodySize");
    if (maxTokenLifetime != null && (maxTokenLifetime.isNegative() || maxTokenLifetime.isZero())) {
      throw new IllegalArgumentException("maxTokenLifetime must be positive, got "
          + maxTokenLifetime);
    }
    this.maxTokenLifetime = maxTokenLifetime;
    this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
    this.rateLimit = rateLimit;
  }

  /** Largest envelope accepted in bytes; a larger one closes the connection (1009). */
  public int maxFrameSize() {
    return maxFrameSize;
  }

  /** Largest HTTP request body accepted in bytes; a larger one is answered 413. */
  public int maxBodySize() {
    return maxBodySize;
  }

  /** The longest JWT lifetime ({@code exp - iat}) accepted; empty for no bound. */
  public Optional<Duration> maxTokenLifetime() {
    return Optional.ofNullable(maxTokenLifetime);
  }

  /** When WebSocket clients are pinged and evicted. */
  public KeepAlive keepAlive() {
    return keepAlive;
  }

  /** The per-twin rate limit, if any. */
  public Optional<RateLimit> rateLimit() {
    return Optional.ofNullable(rateLimit);
  }

  /** A copy with {@code bytes} as the frame limit. */
  RelayLimits withMaxFrameSize(int bytes) {
    return new RelayLimits(bytes, maxBodySize, maxTokenLifetime, keepAlive, rateLimit);
  }

  /** A copy with {@code bytes} as the body limit. */
  RelayLimits withMaxBodySize(int bytes) {
    return new RelayLimits(maxFrameSize, bytes, maxTokenLifetime, keepAlive, rateLimit);
  }

  /** A copy with this token lifetime bound (null: none; otherwise it must be positive). */
  RelayLimits withMaxTokenLifetime(Duration lifetime) {
    return new RelayLimits(maxFrameSize, maxBodySize, lifetime, keepAlive, rateLimit);
  }

  /** A copy with this keep-alive. */
  RelayLimits withKeepAlive(KeepAlive keepAlive) {
    return new RelayLimits(maxFrameSize, maxBodySize, maxTokenLifetime, keepAlive, rateLimit);
  }

  /** A copy with this rate limit. */
  RelayLimits withRateLimit(RateLimit limit) {
    return new RelayLimits(maxFrameSize, maxBodySize, maxTokenLifetime, keepAlive,
        Objects.requireNonNull(limit, "limit"));
  }

  @Override
  public String toString() {
    return "maxFrameSize=" + maxFrameSize + ", maxBodySize=" + maxBodySize
        + ", maxTokenLifetime=" + maxTokenLifetime + ", rateLimit=" + rateLimit
        + ", keepAlive=" + keepAlive;
  }

  private static int positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }
}
