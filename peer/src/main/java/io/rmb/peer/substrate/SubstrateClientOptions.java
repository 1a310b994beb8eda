package io.rmb.peer.substrate;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Immutable settings of a {@link SubstrateClient}; build with {@link #builder()}.
 *
 * <p>Defaults follow rmb-peer: a 12 s connect timeout and at most {@code 2 x urls} connection
 * attempts per call, moving to the next URL after each failure.
 */
public final class SubstrateClientOptions {
  /** rmb-peer's connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(12);
  /** How long one request waits for its answer once sent. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

  private final List<URI> urls;
  private final boolean webSocket;
  private final Duration connectTimeout;
  private final Duration callTimeout;
  private final int maxAttempts;
  private final Executor callbackExecutor;

  private SubstrateClientOptions(Builder b) {
    if (b.urls.isEmpty()) {
      throw new IllegalArgumentException("at least one node URL is required");
    }
    this.urls = List.copyOf(b.urls);
    long ws = urls.stream().filter(SubstrateClientOptions::isWebSocket).count();
    if (ws != 0 && ws != urls.size()) {
      // subscriptions only work over WebSocket; a mixed list would make them depend on luck
      throw new IllegalArgumentException("node URLs must be all ws(s):// or all http(s)://, got "
          + urls);
    }
    this.webSocket = ws != 0;
    this.connectTimeout = positive(b.connectTimeout, "connect timeout");
    this.callTimeout = positive(b.callTimeout, "call timeout");
    this.maxAttempts = b.maxAttempts > 0 ? b.maxAttempts : 2 * urls.size();
    this.callbackExecutor = b.callbackExecutor;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Default options for these URLs. */
  public static SubstrateClientOptions of(String... urls) {
    return builder().urls(urls).build();
  }

  /** The node URLs, tried in order, round robin. */
  public List<URI> urls() {
    return urls;
  }

  /** True for ws:// and wss:// URLs (subscriptions available), false for http(s)://. */
  public boolean webSocket() {
    return webSocket;
  }

  /** Time allowed to open a connection (TCP, TLS and the WebSocket handshake). */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Time one request waits for its answer once sent. */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** Connection attempts per call before giving up; {@code 2 x urls} by default. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Where futures complete and listeners run; the common fork-join pool by default. */
  public Executor callbackExecutor() {
    return callbackExecutor;
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.urls.addAll(urls);
    b.connectTimeout = connectTimeout;
    b.callTimeout = callTimeout;
    b.maxAttempts = maxAttempts;
    b.callbackExecutor = callbackExecutor;
    return b;
  }

  @Override
  public String toString() {
    return "SubstrateClientOptions{urls=" + urls + ", connectTimeout=" + connectTimeout
        + ", callTimeout=" + callTimeout + ", maxAttempts=" + maxAttempts + "}";
  }

  private static boolean isWebSocket(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("ws") || scheme.equals("wss");
  }

  private static Duration positive(Duration value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
    return value;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private final List<URI> urls = new ArrayList<>();
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private int maxAttempts;
    private Executor callbackExecutor = ForkJoinPool.commonPool();

    private Builder() {}

    /**
     * Replaces the node URLs ({@code wss://tfchain.grid.tf:443}, {@code http://host:9933}).
     *
     * @throws IllegalArgumentException for text that is not a ws, wss, http or https URL
     */
    public Builder urls(String... urls) {
      List<URI> parsed = new ArrayList<>();
      for (String url : urls) {
        parsed.add(parse(url));
      }
      this.urls.clear();
      this.urls.addAll(parsed);
      return this;
    }

    /** Replaces the node URLs. */
    public Builder urls(List<URI> urls) {
      List<URI> checked = new ArrayList<>();
      for (URI uri : urls) {
        checked.add(parse(uri.toString()));
      }
      this.urls.clear();
      this.urls.addAll(checked);
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = callTimeout;
      return this;
    }

    /** Connection attempts per call; 0 restores the default of {@code 2 x urls}. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 0) {
        throw new IllegalArgumentException("max attempts must not be negative: " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder callbackExecutor(Executor callbackExecutor) {
      this.callbackExecutor = Objects.requireNonNull(callbackExecutor, "callbackExecutor");
      return this;
    }

    public SubstrateClientOptions build() {
      return new SubstrateClientOptions(this);
    }

    private static URI parse(String url) {
      Objects.requireNonNull(url, "url");
      URI uri;
      try {
        uri = new URI(url.trim());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("invalid node URL '" + url + "': " + e.getMessage(), e);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.matches("wss?|https?") || uri.getHost() == null) {
        throw new IllegalArgumentException("node URL '" + url
            + "' must be ws://, wss://, http:// or https:// with a host");
      }
      return uri;
    }
  }
}
