package io.rmb.relay.websocket;

import java.time.Duration;
import java.util.Objects;

/**
 * How the relay finds dead, half-open or stalled WebSocket clients: after
 * {@code pingInterval} without any frame from a client it sends a ping; a client that sends
 * nothing (no pong, no other frame) for {@code pongTimeout} after that ping is closed with
 * {@link #CLOSE_CODE} 1001 and the reason {@link #CLOSE_REASON}. A client that stops reading is
 * caught too: its pong never comes.
 *
 * @param pingInterval quiet time before a ping, at least 1 ms
 * @param pongTimeout time a client has to answer a ping, at least 1 ms
 */
public record KeepAlive(Duration pingInterval, Duration pongTimeout) {
  /** The defaults: a ping after 30 s of silence, 30 s to answer it. */
  public static final KeepAlive DEFAULT =
      new KeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(30));
  /** Close code sent to an evicted client (1001, going away). */
  public static final int CLOSE_CODE = 1001;
  /** Close reason sent to an evicted client. */
  public static final String CLOSE_REASON = "ping timeout";

  public KeepAlive {
    positive(pingInterval, "pingInterval");
    positive(pongTimeout, "pongTimeout");
  }

  private static void positive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.toMillis() < 1) {
      throw new IllegalArgumentException(name + " must be at least 1 ms, got " + duration);
    }
  }
}
