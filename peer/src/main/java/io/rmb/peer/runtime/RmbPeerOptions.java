package io.rmb.peer.runtime;

import io.rmb.peer.envelope.Expiry;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.transport.RelayOptions;
import io.rmb.peer.twin.TwinDirectory;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Immutable settings of an {@link RmbPeer}.
 *
 * <pre>{@code
 * RmbPeerOptions options = RmbPeerOptions.builder()
 *     .identity(Identity.fromSecret(mnemonic, KeyType.SR25519))
 *     .twin(42)
 *     .relays("wss://relay.grid.tf")
 *     .twins(new CachingTwinDirectory(chainDirectory))
 *     .build();
 * }</pre>
 */
public final class RmbPeerOptions {
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(Expiry.DEFAULT_TTL);
  public static final int DEFAULT_REPLAY_CAPACITY = 100_000;
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

  private final Identity identity;
  private final long twin;
  private final String session;
  private final RelayOptions relayOptions;
  private final TwinDirectory twins;
  private final Clock clock;
  private final SecureRandom random;
  private final Duration defaultTtl;
  private final Executor handlerExecutor;
  private final Executor pipelineExecutor;
  private final Scheduler scheduler;
  private final int replayCapacity;
  private final Duration drainTimeout;

  private RmbPeerOptions(Builder b) {
    this.identity = Objects.requireNonNull(b.identity, "identity is required");
    if (b.twin < 1 || b.twin > 0xffff_ffffL) {
      throw new IllegalArgumentException("own twin id must be in [1, 2^32), got " + b.twin);
    }
    this.twin = b.twin;
    this.session = b.session == null || b.session.isEmpty() ? null : b.session;
    this.relayOptions = Objects.requireNonNull(b.relayOptions, "relays are required");
    this.twins = Objects.requireNonNull(b.twins, "twin directory is required");
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.random = Objects.requireNonNull(b.random, "random");
    if (b.defaultTtl == null || b.defaultTtl.isNegative() || b.defaultTtl.isZero()
        || b.defaultTtl.compareTo(Duration.ofSeconds(Expiry.MAX_TTL)) > 0) {
      throw new IllegalArgumentException("default ttl must be in (0, " + Expiry.MAX_TTL
          + " s], got " + b.defaultTtl);
    }
    this.defaultTtl = b.defaultTtl;
    this.handlerExecutor = b.handlerExecutor;
    this.pipelineExecutor = b.pipelineExecutor;
    this.scheduler = b.scheduler;
    if (b.replayCapacity < 1) {
      throw new IllegalArgumentException("replay capacity must be at least 1, got "
          + b.replayCapacity);
    }
    this.replayCapacity = b.replayCapacity;
    if (b.drainTimeout == null || b.drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drain timeout must not be negative, got "
          + b.drainTimeout);
    }
    this.drainTimeout = b.drainTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keys that sign (and decrypt, if the identity has an e2e key). */
  public Identity identity() {
    return identity;
  }

  /** Our own twin id. */
  public long twin() {
    return twin;
  }

  /** Our session id; empty for the session-less connection (what rmb-peer uses). */
  public Optional<String> session() {
    return Optional.ofNullable(session);
  }

  public RelayOptions relayOptions() {
    return relayOptions;
  }

  public TwinDirectory twins() {
    return twins;
  }

  public Clock clock() {
    return clock;
  }

  public SecureRandom random() {
    return random;
  }

  /** TTL of requests that give none. */
  public Duration defaultTtl() {
    return defaultTtl;
  }

  /** Runs command handlers; empty means a pool owned (and shut down) by the peer. */
  public Optional<Executor> handlerExecutor() {
    return Optional.ofNullable(handlerExecutor);
  }

  /** Runs the incoming pipeline; empty means a pool owned (and shut down) by the peer. */
  public Optional<Executor> pipelineExecutor() {
    return Optional.ofNullable(pipelineExecutor);
  }

  /** Fires request deadlines; empty means a timer thread owned by the peer. */
  public Optional<Scheduler> scheduler() {
    return Optional.ofNullable(scheduler);
  }

  /** How many accepted envelopes the replay table remembers at most. */
  public int replayCapacity() {
    return replayCapacity;
  }

  /** How long {@code close()} waits for handler replies in flight. */
  public Duration drainTimeout() {
    return drainTimeout;
  }

  /** Builder for {@link RmbPeerOptions}; not thread-safe. */
  public static final class Builder {
    private Identity identity;
    private long twin;
    private String session;
    private RelayOptions relayOptions;
    private TwinDirectory twins;
    private Clock clock = Clock.systemUTC();
    private SecureRandom random;
    private Duration defaultTtl = DEFAULT_TTL;
    private Executor handlerExecutor;
    private Executor pipelineExecutor;
    private Scheduler scheduler;
    private int replayCapacity = DEFAULT_REPLAY_CAPACITY;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

    private Builder() {}

    public Builder identity(Identity identity) {
      this.identity = identity;
      return this;
    }

    /** Our twin id on the chain; it must belong to the identity's account. */
    public Builder twin(long twin) {
      this.twin = twin;
      return this;
    }

    /** A session id, required for every client of a twin except one (wire.md section 5). */
    public Builder session(String session) {
      this.session = session;
      return this;
    }

    /** Relays with default timings; see {@link RelayOptions.Builder#relays(String...)}. */
    public Builder relays(String... urls) {
      this.relayOptions = RelayOptions.of(urls);
      return this;
    }

    /** Relays and timings. */
    public Builder relayOptions(RelayOptions relayOptions) {
      this.relayOptions = relayOptions;
      return this;
    }

    /** The twin directory; put a {@code CachingTwinDirectory} in front of a remote one. */
    public Builder twins(TwinDirectory twins) {
      this.twins = twins;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Randomness for uids and nonces; default a new {@link SecureRandom}. */
    public Builder random(SecureRandom random) {
      this.random = random;
      return this;
    }

    public Builder defaultTtl(Duration defaultTtl) {
      this.defaultTtl = defaultTtl;
      return this;
    }

    public Builder handlerExecutor(Executor handlerExecutor) {
      this.handlerExecutor = handlerExecutor;
      return this;
    }

    public Builder pipelineExecutor(Executor pipelineExecutor) {
      this.pipelineExecutor = pipelineExecutor;
      return this;
    }

    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    public Builder replayCapacity(int replayCapacity) {
      this.replayCapacity = replayCapacity;
      return this;
    }

    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = drainTimeout;
      return this;
    }

    /**
     * @throws NullPointerException when identity, relays or the twin directory is missing
     * @throws IllegalArgumentException for a twin id outside u32 or an invalid setting
     */
    public RmbPeerOptions build() {
      if (random == null) {
        random = new SecureRandom();
      }
      return new RmbPeerOptions(this);
    }
  }
}
