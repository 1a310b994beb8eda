package io.rmb.peer.transport;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Immutable settings of a {@link RelayClient}: the relays (1 to {@value #MAX_RELAYS}) and the
 * timings. Defaults follow rmb-peer: ping after 20 s without outbound traffic, reconnect after
 * 40 s without reading anything, backoff from 1 s to 30 s. Inbound frames are limited to
 * {@value #DEFAULT_MAX_FRAME_SIZE} bytes of payload by default, the relay's own default
 * ({@code rmb relay --max-frame-size}).
 *
 * <pre>{@code
 * RelayOptions options = RelayOptions.builder()
 *     .relays("wss://relay.grid.tf", "wss://relay.02.grid.tf")
 *     .build();
 * }</pre>
 */
public final class RelayOptions {
  /** At most this many relays per peer (rmb-peer and the TS client use the same bound). */
  public static final int MAX_RELAYS = 4;
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(20);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(40);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_QUEUED_FRAMES = 10_000;
  /** Largest inbound frame payload, in bytes: the relay's default {@code --max-frame-size}. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 1 << 20;
  /**
   * How long a connection remembers what it wrote, to offer it again if the connection dies
   * (see {@link #resendWindow()}). Short on purpose: a legacy receiver without a replay guard
   * may handle a resent copy twice.
   */
  public static final Duration DEFAULT_RESEND_WINDOW = Duration.ofSeconds(2);
  /** Frames a connection remembers for resending at most; the oldest are forgotten first. */
  public static final int DEFAULT_RESEND_MAX_FRAMES = 10_000;
  /** Bytes of frames a connection remembers for resending at most. */
  public static final long DEFAULT_RESEND_MAX_BYTES = 16L << 20;

  private final List<RelayEndpoint> relays;
  private final Duration pingInterval;
  private final Duration readTimeout;
  private final Duration connectTimeout;
  private final Backoff backoff;
  private final int maxQueuedFrames;
  private final int maxFrameSize;
  private final Duration resendWindow;
  private final int resendMaxFrames;
  private final long resendMaxBytes;
  private final Clock clock;

  private RelayOptions(Builder b) {
    if (b.relays.isEmpty()) {
      throw new IllegalArgumentException("at least one relay URL is required");
    }
    if (b.relays.size() > MAX_RELAYS) {
      throw new IllegalArgumentException("at most " + MAX_RELAYS + " relay URLs are allowed, got "
          + b.relays.size() + ": " + b.relays);
    }
    for (int i = 0; i < b.relays.size(); i++) {
      if (b.relays.subList(0, i).contains(b.relays.get(i))) {
        throw new IllegalArgumentException("relay URL " + b.relays.get(i) + " is listed twice");
      }
    }
    this.relays = Collections.unmodifiableList(new ArrayList<>(b.relays));
    this.pingInterval = positive(b.pingInterval, "ping interval");
    this.readTimeout = positive(b.readTimeout, "read timeout");
    if (readTimeout.compareTo(pingInterval) <= 0) {
      // otherwise an idle but healthy connection is dropped before its ping can be answered
      throw new IllegalArgumentException("read timeout " + readTimeout
          + " must be longer than the ping interval " + pingInterval);
    }
    this.connectTimeout = positive(b.connectTimeout, "connect timeout");
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.backoff = b.backoff != null ? b.backoff
        : Backoff.exponential(Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_MAX, new SecureRandom());
    if (b.maxQueuedFrames < 1) {
      throw new IllegalArgumentException("max queued frames must be at least 1, got "
          + b.maxQueuedFrames);
    }
    this.maxQueuedFrames = b.maxQueuedFrames;
    if (b.maxFrameSize < 1) {
      throw new IllegalArgumentException("max frame size must be at least 1 byte, got "
          + b.maxFrameSize);
    }
    this.maxFrameSize = b.maxFrameSize;
    if (b.resendWindow == null || b.resendWindow.isNegative()) {
      throw new IllegalArgumentException("resend window must be zero (off) or positive, got "
          + b.resendWindow);
    }
    this.resendWindow = b.resendWindow;
    if (b.resendMaxFrames < 1) {
      throw new IllegalArgumentException("resend max frames must be at least 1, got "
          + b.resendMaxFrames);
    }
    this.resendMaxFrames = b.resendMaxFrames;
    if (b.resendMaxBytes < 1) {
      throw new IllegalArgumentException("resend max bytes must be at least 1, got "
          + b.resendMaxBytes);
    }
    this.resendMaxBytes = b.resendMaxBytes;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options with default timings for {@code urls}. */
  public static RelayOptions of(String... urls) {
    return builder().relays(urls).build();
  }

  /** A builder preset with these options, to change a few of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.relays.addAll(relays);
    b.pingInterval = pingInterval;
    b.readTimeout = readTimeout;
    b.connectTimeout = connectTimeout;
    b.backoff = backoff;
    b.maxQueuedFrames = maxQueuedFrames;
    b.maxFrameSize = maxFrameSize;
    b.resendWindow = resendWindow;
    b.resendMaxFrames = resendMaxFrames;
    b.resendMaxBytes = resendMaxBytes;
    b.clock = clock;
    return b;
  }

  /** The relays, in preference order for sending. */
  public List<RelayEndpoint> relays() {
    return relays;
  }

  /** Send a WebSocket ping when nothing was sent (or read) for this long. */
  public Duration pingInterval() {
    return pingInterval;
  }

  /** Drop the connection and reconnect when nothing was read for this long. */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** Give up a connection attempt (TCP, TLS and WebSocket handshake) after this long. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Delays between reconnect attempts. */
  public Backoff backoff() {
    return backoff;
  }

  /** Frames that may wait for a relay connection at once; more are refused. */
  public int maxQueuedFrames() {
    return maxQueuedFrames;
  }

  /**
   * Largest payload of a frame read from a relay, in bytes. A relay announcing a larger frame
   * is disconnected with close code 1009 before the payload is read (the frame is counted as
   * dropped and logged, and the connection is re-established with backoff).
   */
  public int maxFrameSize() {
    return maxFrameSize;
  }

  /**
   * Frames written to a relay in this window before its connection drops (relay died, network
   * lost, read timeout; not our own {@code close()}) are offered again, in order, to another
   * connected relay or the same one after it reconnects, until their deadlines. The bytes are
   * unchanged, so a receiver that got the original drops the copy by its replay guard.
   * {@link Duration#ZERO} turns resending off.
   */
  public Duration resendWindow() {
    return resendWindow;
  }

  /** At most this many frames per connection are remembered for resending. */
  public int resendMaxFrames() {
    return resendMaxFrames;
  }

  /** At most this many bytes of frames per connection are remembered for resending. */
  public long resendMaxBytes() {
    return resendMaxBytes;
  }

  /** Time source for keepalive and send deadlines. */
  public Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "RelayOptions{relays=" + relays + ", ping=" + pingInterval + ", readTimeout="
        + readTimeout + ", connectTimeout=" + connectTimeout + ", maxFrameSize=" + maxFrameSize
        + ", resendWindow=" + resendWindow + "}";
  }

  private static Duration positive(Duration value, String what) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
    return value;
  }

  /** Builder for {@link RelayOptions}; not thread-safe. */
  public static final class Builder {
    private final List<RelayEndpoint> relays = new ArrayList<>();
    private Duration pingInterval = DEFAULT_PING_INTERVAL;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Backoff backoff;
    private int maxQueuedFrames = DEFAULT_MAX_QUEUED_FRAMES;
    private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
    private Duration resendWindow = DEFAULT_RESEND_WINDOW;
    private int resendMaxFrames = DEFAULT_RESEND_MAX_FRAMES;
    private long resendMaxBytes = DEFAULT_RESEND_MAX_BYTES;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Replaces the relay list.
     *
     * @throws IllegalArgumentException for a URL that is not {@code ws[s]://host[:port][/path]}
     */
    public Builder relays(String... urls) {
      return relays(List.of(urls));
    }

    /** Replaces the relay list; see {@link #relays(String...)}. */
    public Builder relays(List<String> urls) {
      Objects.requireNonNull(urls, "urls");
      List<RelayEndpoint> parsed = new ArrayList<>();
      for (String url : urls) {
        parsed.add(RelayEndpoint.parse(url));
      }
      relays.clear();
      relays.addAll(parsed);
      return this;
    }

    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = pingInterval;
      return this;
    }

    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = readTimeout;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** Reconnect delays; default {@link Backoff#exponential} from 1 s to 30 s. */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    public Builder maxQueuedFrames(int maxQueuedFrames) {
      this.maxQueuedFrames = maxQueuedFrames;
      return this;
    }

    /** Largest inbound frame payload in bytes; see {@link RelayOptions#maxFrameSize()}. */
    public Builder maxFrameSize(int bytes) {
      this.maxFrameSize = bytes;
      return this;
    }

    /** See {@link RelayOptions#resendWindow()}; default 2 s, zero turns resending off. */
    public Builder resendWindow(Duration window) {
      this.resendWindow = window;
      return this;
    }

    /** See {@link RelayOptions#resendMaxFrames()}; default 10,000. */
    public Builder resendMaxFrames(int frames) {
      this.resendMaxFrames = frames;
      return this;
    }

    /** See {@link RelayOptions#resendMaxBytes()}; default 16 MiB. */
    public Builder resendMaxBytes(long bytes) {
      this.resendMaxBytes = bytes;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * @throws IllegalArgumentException for no relay, more than {@value #MAX_RELAYS}, a
     *     duplicate, a max frame size below 1, timings that are not positive (read timeout
     *     must exceed the ping interval), a negative resend window or resend bounds below 1
     */
    public RelayOptions build() {
      return new RelayOptions(this);
    }
  }
}
