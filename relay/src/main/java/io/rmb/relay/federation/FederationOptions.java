package io.rmb.relay.federation;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a relay federates: the scheme of other relays' ingest URLs, how long failures count
 * against a relay when ranking, how many workers post concurrently, and the timing of posts
 * and retries. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults: {@code https}, ranker period 3600 s (rmb-rs), 16 workers, 2 s connect and 5 s
 * request timeout, retries every 1 s doubling up to 10 s until the envelope's deadline, and a
 * re-route sweep every 5 s (the offline queues of twins that left this relay are federated to
 * their new relays, see {@link io.rmb.relay.routing.QueueRerouter}).
 */
public final class FederationOptions {
  /** Default scheme of remote relays' ingest URLs. */
  public static final String DEFAULT_SCHEME = "https";
  /** Default period over which a relay's failures count (rmb-rs: one hour). */
  public static final Duration DEFAULT_RANKER_PERIOD = Duration.ofHours(1);
  /** Default number of concurrent posting workers. */
  public static final int DEFAULT_WORKERS = 16;
  /** Default period of the re-route sweep. */
  public static final Duration DEFAULT_REROUTE_INTERVAL = Duration.ofSeconds(5);

  private final String scheme;
  private final Duration rankerPeriod;
  private final int workers;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final Duration retryDelay;
  private final Duration maxRetryDelay;
  private final Duration rerouteInterval;
  private final Function<String, URI> endpoints;

  private FederationOptions(Builder b) {
    this.scheme = b.scheme;
    this.rankerPeriod = b.rankerPeriod;
    this.workers = b.workers;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.retryDelay = b.retryDelay;
    this.maxRetryDelay = b.maxRetryDelay;
    this.rerouteInterval = b.rerouteInterval;
    this.endpoints = b.endpoints != null ? b.endpoints
        : domain -> URI.create(b.scheme + "://" + domain + "/");
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code http} or {@code https}. */
  public String scheme() {
    return scheme;
  }

  /** Failures older than this no longer count against a relay. */
  public Duration rankerPeriod() {
    return rankerPeriod;
  }

  /** Concurrent posting workers. */
  public int workers() {
    return workers;
  }

  /** Connect timeout of a post. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Timeout of one post, answer included. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Delay before the first retry round; it doubles up to {@link #maxRetryDelay()}. */
  public Duration retryDelay() {
    return retryDelay;
  }

  /** Longest delay between retry rounds. */
  public Duration maxRetryDelay() {
    return maxRetryDelay;
  }

  /**
   * How often the queues of twins that no longer list this relay are moved to federation;
   * {@link Duration#ZERO} turns the sweep off (queues then wait for their twin or expire).
   */
  public Duration rerouteInterval() {
    return rerouteInterval;
  }

  /** The ingest URL of the relay serving {@code domain}. */
  public URI endpoint(String domain) {
    return endpoints.apply(domain);
  }

  @Override
  public String toString() {
    return "FederationOptions{scheme=" + scheme + ", rankerPeriod=" + rankerPeriod
        + ", workers=" + workers + ", rerouteInterval=" + rerouteInterval + "}";
  }

  /** Builder for {@link FederationOptions}; not thread-safe. */
  public static final class Builder {
    private String scheme = DEFAULT_SCHEME;
    private Duration rankerPeriod = DEFAULT_RANKER_PERIOD;
    private int workers = DEFAULT_WORKERS;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration requestTimeout = Duration.ofSeconds(5);
    private Duration retryDelay = Duration.ofSeconds(1);
    private Duration maxRetryDelay = Duration.ofSeconds(10);
    private Duration rerouteInterval = DEFAULT_REROUTE_INTERVAL;
    private Function<String, URI> endpoints;

    private Builder() {}

    /**
     * The scheme of remote ingest URLs: {@code https} in production, {@code http} for tests and
     * private networks.
     */
    public Builder scheme(String scheme) {
      Objects.requireNonNull(scheme, "scheme");
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("federation scheme must be http or https, got '"
            + scheme + "'");
      }
      this.scheme = scheme;
      return this;
    }

    /** Period over which failures count when ranking relays; positive. */
    public Builder rankerPeriod(Duration period) {
      this.rankerPeriod = positive(period, "rankerPeriod");
      return this;
    }

    /** Concurrent posting workers; positive. */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be positive, got " + workers);
      }
      this.workers = workers;
      return this;
    }

    /** Connect timeout of a post; positive. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** Timeout of one post; positive. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /** First retry delay and the largest one; both positive, first <= largest. */
    public Builder retryDelay(Duration first, Duration max) {
      this.retryDelay = positive(first, "retryDelay");
      this.maxRetryDelay = positive(max, "maxRetryDelay");
      if (first.compareTo(max) > 0) {
        throw new IllegalArgumentException("retryDelay " + first + " exceeds maxRetryDelay "
            + max);
      }
      return this;
    }

    /** Period of the re-route sweep; {@link Duration#ZERO} for none. */
    public Builder rerouteInterval(Duration interval) {
      Objects.requireNonNull(interval, "rerouteInterval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("rerouteInterval must be >= 0, got " + interval);
      }
      this.rerouteInterval = interval;
      return this;
    }

    /**
     * Where the relay of a domain takes posts, instead of {@code <scheme>://<domain>/}: for
     * relays on loopback ports in tests, or a private name mapping.
     */
    public Builder endpoints(Function<String, URI> endpoints) {
      this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
      return this;
    }

    public FederationOptions build() {
      return new FederationOptions(this);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }
  }
}
