package io.rmb.relay;

import io.rmb.peer.twin.CachingTwinDirectory;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.relay.federation.FederationOptions;
import io.rmb.relay.http.HttpRoute;
import io.rmb.relay.limit.RateLimit;
import io.rmb.relay.queue.InMemoryOfflineQueue;
import io.rmb.relay.queue.OfflineQueue;
import io.rmb.relay.queue.QueueLimits;
import io.rmb.relay.redis.RedisOptions;
import io.rmb.relay.routing.Federator;
import io.rmb.relay.routing.UnsupportedFederator;
import io.rmb.relay.websocket.KeepAlive;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a {@link RelayServer} needs. Immutable; build with {@link #builder()}.
 *
 * <p>Required: at least one {@link Builder#domain(String) domain} and a twin directory
 * ({@link Builder#twins(TwinDirectory)} or {@link Builder#twinsFile(Path)}). Defaults: listen
 * on {@code 0.0.0.0:8080}, in-memory offline queue with {@link QueueLimits#DEFAULT} (10,000
 * envelopes per session, 1 hour idle expiry), envelopes and HTTP bodies up to 1 MiB
 * ({@value #DEFAULT_MAX_FRAME_SIZE} bytes), JWT lifetimes up to {@link #DEFAULT_MAX_TOKEN_LIFETIME}
 * (rmb-rs has no bound; see docs/security.md), no
 * federation ({@link UnsupportedFederator}), no Redis, no rate limit, the UTC system clock.
 *
 * <p>The abuse limits (sizes, token lifetime, keep-alive, rate limit) are grouped in
 * {@link RelayLimits} ({@link #limits()}); the builder sets them one by one.
 *
 * <p>With {@link Builder#redis(RedisOptions) Redis}, the offline queue, session presence and
 * (with {@link Builder#federation(FederationOptions) federation}) the federation stream live in
 * Redis, shared by every instance on it; {@link #queueLimits()} then bound the Redis streams.
 */
public final class RelayOptions {
  /** Default listen host: all IPv4 interfaces. */
  public static final String DEFAULT_HOST = "0.0.0.0";
  /** Default listen port (rmb-relay's). */
  public static final int DEFAULT_PORT = 8080;
  /** Default largest envelope (WebSocket message) accepted: 1 MiB. */
  public static final int DEFAULT_MAX_FRAME_SIZE = RelayLimits.DEFAULT_MAX_FRAME_SIZE;
  /** Default largest HTTP request body accepted: 1 MiB. */
  public static final int DEFAULT_MAX_BODY_SIZE = RelayLimits.DEFAULT_MAX_BODY_SIZE;
  /** Default longest JWT lifetime: one hour (see {@link RelayLimits}). */
  public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = RelayLimits.DEFAULT_MAX_TOKEN_LIFETIME;
  /** Default time {@link RelayServer#close()} waits for sessions to close. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

  private final String host;
  private final int port;
  private final Set<String> domains;
  private final TwinDirectory twins;
  private final OfflineQueue offlineQueue;
  private final QueueLimits queueLimits;
  private final Clock clock;
  private final RelayLimits limits;
  private final Federator federator;
  private final List<HttpRoute> routes;
  private final int ioThreads;
  private final Duration shutdownTimeout;
  private final RedisOptions redis;
  private final FederationOptions federation;

  private RelayOptions(Builder b) {
    this.redis = b.redis;
    this.federation = b.federation;
    this.host = b.host;
    this.port = b.port;
    this.domains = Collections.unmodifiableSet(new LinkedHashSet<>(b.domains));
    this.clock = b.clock;
    this.twins = b.twins != null ? b.twins : FileTwins.directory(b.twinsFile, b.clock);
    this.queueLimits = b.queueLimits != null ? b.queueLimits : QueueLimits.DEFAULT;
    this.offlineQueue = b.offlineQueue;
    this.limits = b.limits;
    this.federator = b.federator;
    this.routes = List.copyOf(b.routes);
    this.ioThreads = b.ioThreads;
    this.shutdownTimeout = b.shutdownTimeout;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses a listen address {@code host:port}: {@code 127.0.0.1:8080}, {@code [::1]:8080},
   * {@code localhost:0} or {@code :8080} (all interfaces). The host is not resolved.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static InetSocketAddress parseListen(String address) {
    return ListenAddress.parse(address);
  }

  /** Host (name or literal address) to listen on. */
  public String host() {
    return host;
  }

  /** Port to listen on; 0 picks a free one (see {@link RelayServer#port()}). */
  public int port() {
    return port;
  }

  /** This relay's domains: a twin whose relays include one of them is served here. */
  public Set<String> domains() {
    return domains;
  }

  /** Where twins are looked up (tokens and destinations). */
  public TwinDirectory twins() {
    return twins;
  }

  /** The offline queue given to the builder; empty when the relay makes an in-memory one. */
  public Optional<OfflineQueue> offlineQueue() {
    return Optional.ofNullable(offlineQueue);
  }

  /** Limits of the default in-memory queue. */
  public QueueLimits queueLimits() {
    return queueLimits;
  }

  /** The clock for tokens, stamps and queue expiry. */
  public Clock clock() {
    return clock;
  }

  /** Sizes, token lifetime, keep-alive and rate limit (also exposed one by one below). */
  public RelayLimits limits() {
    return limits;
  }

  /** Largest envelope accepted in bytes; a larger one closes the connection (1009). */
  public int maxFrameSize() {
    return limits.maxFrameSize();
  }

  /** Largest HTTP request body accepted in bytes; a larger one is answered 413. */
  public int maxBodySize() {
    return limits.maxBodySize();
  }

  /** The longest JWT lifetime ({@code exp - iat}) accepted; empty for no bound. */
  public Optional<Duration> maxTokenLifetime() {
    return limits.maxTokenLifetime();
  }

  /** The shared Redis, if any. */
  public Optional<RedisOptions> redis() {
    return Optional.ofNullable(redis);
  }

  /** Federation over HTTP, if enabled (it replaces {@link #federator()}). */
  public Optional<FederationOptions> federation() {
    return Optional.ofNullable(federation);
  }

  /** The per-twin rate limit, if any. */
  public Optional<RateLimit> rateLimit() {
    return limits.rateLimit();
  }

  /** Where envelopes for twins on other relays go when {@link #federation()} is empty. */
  public Federator federator() {
    return federator;
  }

  /** Extra HTTP routes; they replace the built-in placeholders for the same method and path. */
  public List<HttpRoute> routes() {
    return routes;
  }

  /** Event-loop threads; 0 for Netty's default (twice the processors). */
  public int ioThreads() {
    return ioThreads;
  }

  /** When WebSocket clients are pinged and evicted (default {@link KeepAlive#DEFAULT}). */
  public KeepAlive keepAlive() {
    return limits.keepAlive();
  }

  /** How long {@link RelayServer#close()} waits for sessions to close. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  @Override
  public String toString() {
    return "RelayOptions{listen=" + host + ":" + port + ", domains=" + domains + ", queue="
        + (offlineQueue != null ? offlineQueue : queueLimits) + ", " + limits + ", redis="
        + redis + ", federation=" + (federation != null ? federation : federator) + "}";
  }

  /** Builder for {@link RelayOptions}; not thread-safe. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private final Set<String> domains = new LinkedHashSet<>();
    private TwinDirectory twins;
    private Path twinsFile;
    private OfflineQueue offlineQueue;
    private QueueLimits queueLimits;
    private Clock clock = Clock.systemUTC();
    private RelayLimits limits = RelayLimits.DEFAULT;
    private Federator federator = UnsupportedFederator.INSTANCE;
    private final List<HttpRoute> routes = new ArrayList<>();
    private int ioThreads;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private RedisOptions redis;
    private FederationOptions federation;

    private Builder() {}

    /** Ping quiet WebSocket clients and evict those that stay silent (see {@link KeepAlive}). */
    public Builder keepAlive(KeepAlive keepAlive) {
      this.limits = limits.withKeepAlive(Objects.requireNonNull(keepAlive, "keepAlive"));
      return this;
    }

    /** Share queue, presence and federation work with other instances on this Redis. */
    public Builder redis(RedisOptions redis) {
      this.redis = Objects.requireNonNull(redis, "redis");
      return this;
    }

    /** Federate to other relays over HTTP(S) with these options. */
    public Builder federation(FederationOptions federation) {
      this.federation = Objects.requireNonNull(federation, "federation");
      return this;
    }

    /** Limit every twin to {@code limit} per 60 s window. */
    public Builder rateLimit(RateLimit limit) {
      this.limits = limits.withRateLimit(limit);
      return this;
    }

    /**
     * Listen on {@code host:port} as parsed by {@link RelayOptions#parseListen(String)}.
     *
     * @throws IllegalArgumentException for a malformed address
     */
    public Builder listen(String address) {
      InetSocketAddress parsed = parseListen(address);
      return listen(parsed.getHostString(), parsed.getPort());
    }

    /** Listen on {@code host} and {@code port} (0: any free port). */
    public Builder listen(String host, int port) {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("listen host is blank");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("listen port must be in 0..65535, got " + port);
      }
      this.host = host;
      this.port = port;
      return this;
    }

    /** Adds one of this relay's domains (exact, case-sensitive, no scheme or port). */
    public Builder domain(String domain) {
      Objects.requireNonNull(domain, "domain");
      String trimmed = domain.trim();
      if (trimmed.isEmpty()) {
        throw new IllegalArgumentException("relay domain is blank");
      }
      domains.add(trimmed);
      return this;
    }

    /** Adds several domains. */
    public Builder domains(Collection<String> domains) {
      domains.forEach(this::domain);
      return this;
    }

    /** The twin directory (put a {@link CachingTwinDirectory} in front of a remote one). */
    public Builder twins(TwinDirectory twins) {
      this.twins = Objects.requireNonNull(twins, "twins");
      this.twinsFile = null;
      return this;
    }

    /**
     * Twins from a JSON file ({@link FileTwinDirectory}, re-read when it changes, looked up off
     * the event loops) behind a {@link CachingTwinDirectory} (5 minutes), both on this builder's
     * clock. The file is read by {@link #build()}, which fails if it is missing or malformed.
     */
    public Builder twinsFile(Path file) {
      this.twinsFile = Objects.requireNonNull(file, "file");
      this.twins = null;
      return this;
    }

    /** A custom offline queue (the relay does not close it); excludes {@link #queueLimits}. */
    public Builder offlineQueue(OfflineQueue queue) {
      this.offlineQueue = Objects.requireNonNull(queue, "queue");
      return this;
    }

    /** Limits of the default in-memory queue. */
    public Builder queueLimits(QueueLimits limits) {
      this.queueLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** The clock (tests inject a controllable one). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Largest envelope accepted, in bytes (default 1 MiB). */
    public Builder maxFrameSize(int bytes) {
      this.limits = limits.withMaxFrameSize(bytes);
      return this;
    }

    /** Largest HTTP request body accepted, in bytes (default 1 MiB). */
    public Builder maxBodySize(int bytes) {
      this.limits = limits.withMaxBodySize(bytes);
      return this;
    }

    /** Refuse tokens whose {@code exp - iat} exceeds {@code lifetime} (default: one hour). */
    public Builder maxTokenLifetime(Duration lifetime) {
      this.limits = limits.withMaxTokenLifetime(Objects.requireNonNull(lifetime, "lifetime"));
      return this;
    }

    /** Accept tokens of any lifetime, as rmb-rs does (only their expiry is checked). */
    public Builder unboundedTokenLifetime() {
      this.limits = limits.withMaxTokenLifetime(null);
      return this;
    }

    /** Where envelopes for twins on other relays go (default: refused). */
    public Builder federator(Federator federator) {
      this.federator = Objects.requireNonNull(federator, "federator");
      return this;
    }

    /** Adds an HTTP route; it replaces a placeholder or earlier route with the same method+path. */
    public Builder route(HttpRoute route) {
      routes.add(Objects.requireNonNull(route, "route"));
      return this;
    }

    /** Event-loop threads (0: Netty's default). */
    public Builder ioThreads(int threads) {
      if (threads < 0) {
        throw new IllegalArgumentException("ioThreads must be >= 0, got " + threads);
      }
      this.ioThreads = threads;
      return this;
    }

    /** How long {@link RelayServer#close()} waits for sessions to close. */
    public Builder shutdownTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("shutdownTimeout must be >= 0, got " + timeout);
      }
      this.shutdownTimeout = timeout;
      return this;
    }

    /**
     * @throws IllegalStateException when no domain or no twin directory was given, or both a
     *     custom queue and queue limits
     * @throws io.rmb.peer.twin.TwinDirectoryException when the twins file cannot be read
     */
    public RelayOptions build() {
      if (domains.isEmpty()) {
        throw new IllegalStateException("a relay needs at least one domain (--domain)");
      }
      if (twins == null && twinsFile == null) {
        throw new IllegalStateException("a relay needs a twin directory (twins or twinsFile)");
      }
      if (offlineQueue != null && redis != null) {
        throw new IllegalStateException("a custom offline queue excludes the Redis one");
      }
      if (offlineQueue != null && queueLimits != null) {
        throw new IllegalStateException("queueLimits apply to the default in-memory queue only;"
            + " configure the custom offline queue itself");
      }
      return new RelayOptions(this);
    }
  }

  /** The default queue for these options. */
  OfflineQueue newDefaultQueue() {
    return new InMemoryOfflineQueue(queueLimits, clock);
  }
}
