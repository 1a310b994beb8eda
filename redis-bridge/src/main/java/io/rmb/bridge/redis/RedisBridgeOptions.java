package io.rmb.bridge.redis;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rmb.peer.transport.Backoff;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of a {@link RedisBridge}.
 *
 * <pre>{@code
 * RedisBridgeOptions options = RedisBridgeOptions.builder()
 *     .redisUri("redis://localhost:6379")
 *     .meterRegistry(prometheus)
 *     .build();
 * }</pre>
 */
public final class RedisBridgeOptions {
  /** rmb-peer's default Redis. */
  public static final String DEFAULT_REDIS_URI = "redis://localhost:6379";
  /** rmb-peer keeps at most this many messages in {@code msgbus.<cmd>} and {@code ret}. */
  public static final int DEFAULT_MAX_QUEUE_LENGTH = 10_000;
  public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;
  public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(1);

  private final String redisUri;
  private final int maxQueueLength;
  private final int maxInFlight;
  private final Duration pollTimeout;
  private final Backoff redisBackoff;
  private final int connectAttempts;
  private final Clock clock;
  private final MeterRegistry meterRegistry;
  private final String version;
  private final boolean timeoutErrors;

  private RedisBridgeOptions(Builder b) {
    this.redisUri = Objects.requireNonNull(b.redisUri, "redisUri");
    if (!redisUri.startsWith("redis://") && !redisUri.startsWith("rediss://")
        && !redisUri.startsWith("redis-socket://")) {
      throw new IllegalArgumentException("Redis URI must start with redis://, rediss:// or "
          + "redis-socket://, got " + redisUri);
    }
    this.maxQueueLength = positive(b.maxQueueLength, "maxQueueLength");
    this.maxInFlight = positive(b.maxInFlight, "maxInFlight");
    this.pollTimeout = Objects.requireNonNull(b.pollTimeout, "pollTimeout");
    if (pollTimeout.toMillis() < 10) {
      throw new IllegalArgumentException("pollTimeout must be at least 10 ms, got "
          + pollTimeout);
    }
    this.redisBackoff = Objects.requireNonNull(b.redisBackoff, "redisBackoff");
    if (b.connectAttempts < 0) {
      throw new IllegalArgumentException("connectAttempts must be >= 0 (0: forever), got "
          + b.connectAttempts);
    }
    this.connectAttempts = b.connectAttempts;
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.meterRegistry = b.meterRegistry != null ? b.meterRegistry : new SimpleMeterRegistry();
    this.version = Objects.requireNonNull(b.version, "version");
    this.timeoutErrors = b.timeoutErrors;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String redisUri() {
    return redisUri;
  }

  /** Longest {@code msgbus.<cmd>}, {@code ret} and dead-letter list; older entries are trimmed. */
  public int maxQueueLength() {
    return maxQueueLength;
  }

  /** Requests taken from the local queue and not finished; the bridge stops popping above. */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** How long one blocking pop waits; bounds how long {@code close()} takes. */
  public Duration pollTimeout() {
    return pollTimeout;
  }

  /** Delays between attempts while Redis is unreachable. */
  public Backoff redisBackoff() {
    return redisBackoff;
  }

  /** Attempts to reach Redis at start; 0 (the default) tries forever, like a service should. */
  public int connectAttempts() {
    return connectAttempts;
  }

  public Clock clock() {
    return clock;
  }

  /** Where the bridge's counters go; default a private {@link SimpleMeterRegistry}. */
  public MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** What the built-in {@code rmb.version} command answers. */
  public String version() {
    return version;
  }

  /**
   * Whether a destination that did not answer before the request's deadline gets error 102
   * on {@code ret} (the default), so every destination of every request ends with exactly one
   * answer or error; false pushes nothing then, as rmb-peer does (clients time out on their
   * BLPOP), except for a request resent after a bridge restart, which always gets the 102.
   */
  public boolean timeoutErrors() {
    return timeoutErrors;
  }

  private static int positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  /** Builder for {@link RedisBridgeOptions}; not thread-safe. */
  public static final class Builder {
    private String redisUri = DEFAULT_REDIS_URI;
    private int maxQueueLength = DEFAULT_MAX_QUEUE_LENGTH;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
    private Backoff redisBackoff = Backoff.exponential(Duration.ofMillis(500),
        Duration.ofSeconds(30), new SecureRandom());
    private int connectAttempts;
    private Clock clock = Clock.systemUTC();
    private MeterRegistry meterRegistry;
    private String version = defaultVersion();
    private boolean timeoutErrors = true;

    private Builder() {}

    public Builder redisUri(String redisUri) {
      this.redisUri = redisUri;
      return this;
    }

    public Builder maxQueueLength(int maxQueueLength) {
      this.maxQueueLength = maxQueueLength;
      return this;
    }

    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Builder pollTimeout(Duration pollTimeout) {
      this.pollTimeout = pollTimeout;
      return this;
    }

    public Builder redisBackoff(Backoff redisBackoff) {
      this.redisBackoff = redisBackoff;
      return this;
    }

    public Builder connectAttempts(int connectAttempts) {
      this.connectAttempts = connectAttempts;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = meterRegistry;
      return this;
    }

    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /** See {@link RedisBridgeOptions#timeoutErrors()}; default true. */
    public Builder timeoutErrors(boolean timeoutErrors) {
      this.timeoutErrors = timeoutErrors;
      return this;
    }

    /** @throws IllegalArgumentException for a URI that is not redis:// or a bad limit */
    public RedisBridgeOptions build() {
      return new RedisBridgeOptions(this);
    }

    private static String defaultVersion() {
      String v = RedisBridgeOptions.class.getPackage().getImplementationVersion();
      return "rmb-java " + (v != null ? v : "dev");
    }
  }
}
