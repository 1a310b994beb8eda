package io.rmb.relay.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a relay uses a shared Redis: where it is, the prefix of every key it writes, and how
 * long a session's presence outlives the last refresh of the instance that announced it.
 * Immutable; build with {@link #builder(String)}.
 */
public final class RedisOptions {
  /** Default prefix of every key and channel (so a relay can share a Redis with others). */
  public static final String DEFAULT_PREFIX = "rmb.relay.";
  /** Default presence expiry: an instance refreshes at a third of it while alive. */
  public static final Duration DEFAULT_PRESENCE_TTL = Duration.ofSeconds(30);
  /** Default time a federation entry stays pending before another instance may take it. */
  public static final Duration DEFAULT_CLAIM_IDLE = Duration.ofSeconds(30);
  /** Default bound of the federation stream (trimmed approximately beyond it). */
  public static final int DEFAULT_FEDERATION_MAX_LEN = 100_000;

  private final URI uri;
  private final String prefix;
  private final Duration presenceTtl;
  private final Duration claimIdle;
  private final int federationMaxLen;

  private RedisOptions(Builder b) {
    this.uri = b.uri;
    this.prefix = b.prefix;
    this.presenceTtl = b.presenceTtl;
    this.claimIdle = b.claimIdle;
    this.federationMaxLen = b.federationMaxLen;
  }

  /**
   * A builder for the Redis at {@code url} ({@code redis://[user:password@]host[:port][/db]},
   * {@code rediss://...} for TLS).
   *
   * @throws IllegalArgumentException for anything but a redis or rediss URL with a host
   */
  public static Builder builder(String url) {
    Objects.requireNonNull(url, "url");
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid Redis URL '" + url + "': " + e.getMessage(), e);
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw new IllegalArgumentException("invalid Redis URL '" + url
          + "': the scheme must be redis:// or rediss://");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("invalid Redis URL '" + url + "': no host");
    }
    return new Builder(uri);
  }

  /** The Redis URL. */
  public URI uri() {
    return uri;
  }

  /** Prefix of every key and channel. */
  public String prefix() {
    return prefix;
  }

  /** How long a session's presence lasts without a refresh. */
  public Duration presenceTtl() {
    return presenceTtl;
  }

  /** How long a federation entry stays pending before another instance takes it over. */
  public Duration claimIdle() {
    return claimIdle;
  }

  /** Approximate bound of the federation stream. */
  public int federationMaxLen() {
    return federationMaxLen;
  }

  @Override
  public String toString() {
    // no user info: it may hold a password
    return "RedisOptions{" + uri.getScheme() + "://" + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + ", prefix=" + prefix + "}";
  }

  /** Builder for {@link RedisOptions}; not thread-safe. */
  public static final class Builder {
    private final URI uri;
    private String prefix = DEFAULT_PREFIX;
    private Duration presenceTtl = DEFAULT_PRESENCE_TTL;
    private Duration claimIdle = DEFAULT_CLAIM_IDLE;
    private int federationMaxLen = DEFAULT_FEDERATION_MAX_LEN;

    private Builder(URI uri) {
      this.uri = uri;
    }

    /** Prefix of every key and channel (tests give each relay population its own). */
    public Builder prefix(String prefix) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /** Presence expiry; at least one second. */
    public Builder presenceTtl(Duration ttl) {
      this.presenceTtl = atLeastOneSecond(ttl, "presenceTtl");
      return this;
    }

    /** Pending time after which another instance takes a federation entry over. */
    public Builder claimIdle(Duration idle) {
      this.claimIdle = atLeastOneSecond(idle, "claimIdle");
      return this;
    }

    /** Approximate bound of the federation stream; positive. */
    public Builder federationMaxLen(int maxLen) {
      if (maxLen < 1) {
        throw new IllegalArgumentException("federationMaxLen must be positive, got " + maxLen);
      }
      this.federationMaxLen = maxLen;
      return this;
    }

    public RedisOptions build() {
      return new RedisOptions(this);
    }

    private static Duration atLeastOneSecond(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(name + " must be at least 1 s, got " + value);
      }
      return value;
    }
  }
}
