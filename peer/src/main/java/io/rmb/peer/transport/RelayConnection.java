package io.rmb.peer.transport;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay, kept connected: a new Java-WebSocket client (and a freshly minted token) per
 * attempt, keepalive pings, a read timeout and backoff between attempts.
 *
 * <p>Threads: socket callbacks arrive on the client's own reader thread; timers run on the
 * {@link RelayClient}'s single timer thread. State changes happen under {@link #lock}; every
 * callback first checks that it comes from the current client, so late events of a replaced
 * client are ignored.
 *
 * <p>When a connection drops other than by {@link #close()}, what its socket wrote in the
 * {@link RelayOptions#resendWindow()} goes back to the {@link RelayClient} to be offered again.
 */
final class RelayConnection {
  private static final Logger LOG = LoggerFactory.getLogger(RelayConnection.class);
  /**
   * Frames that may wait in one connection's write queue. A relay that stops reading (or a
   * stalled TCP path) would otherwise swallow every frame until the read timeout fires; past
   * this bound the connection refuses frames so they go to the next relay.
   */
  static final int MAX_UNWRITTEN_FRAMES = 1024;

  private final RelayEndpoint endpoint;
  private final RelayOptions options;
  private final TokenProvider tokens;
  private final ScheduledExecutorService timer;
  private final Clock clock;
  private final RelayListener listener;
  private final Runnable onConnected;
  /** Takes frames to offer again after a drop, in order; returns how many it held. */
  private final ToIntFunction<List<ResendWindow.Sent>> reoffer;
  private final long resendMillis;
  private final long pingMillis;
  private final long readTimeoutMillis;

  private final Object lock = new Object();
  private volatile RelayState state = RelayState.IDLE;
  private volatile RelaySocket client; // current attempt or open connection; null while waiting
  private int failures; // consecutive failed attempts, guarded by lock
  private ScheduledFuture<?> task; // reconnect, handshake watchdog or keepalive; guarded by lock

  private volatile long lastRead;
  private volatile long lastWrite;
  private volatile long lastPing;

  private final AtomicLong attempts = new AtomicLong();
  private final AtomicLong connects = new AtomicLong();
  private final AtomicLong framesSent = new AtomicLong();
  private final AtomicLong framesReceived = new AtomicLong();
  private final AtomicLong textFrames = new AtomicLong();
  private final AtomicLong pings = new AtomicLong();
  private final AtomicLong readTimeouts = new AtomicLong();
  private final AtomicLong oversizeFrames = new AtomicLong();
  private final AtomicLong framesResent = new AtomicLong();
  private final AtomicLong resendForgotten = new AtomicLong();

  RelayConnection(RelayEndpoint endpoint, RelayOptions options, TokenProvider tokens,
      ScheduledExecutorService timer, RelayListener listener, Runnable onConnected,
      ToIntFunction<List<ResendWindow.Sent>> reoffer) {
    this.endpoint = endpoint;
    this.options = options;
    this.tokens = tokens;
    this.timer = timer;
    this.clock = options.clock();
    this.listener = listener;
    this.onConnected = onConnected;
    this.reoffer = reoffer;
    this.resendMillis = options.resendWindow().toMillis();
    this.pingMillis = options.pingInterval().toMillis();
    this.readTimeoutMillis = options.readTimeout().toMillis();
  }

  RelayEndpoint endpoint() {
    return endpoint;
  }

  RelayStatus status() {
    return new RelayStatus(endpoint, state, connects.get(), attempts.get(), framesSent.get(),
        framesReceived.get(), textFrames.get(), pings.get(), readTimeouts.get(),
        oversizeFrames.get(), framesResent.get(), resendForgotten.get());
  }

  void start() {
    synchronized (lock) {
      if (state == RelayState.IDLE) {
        connect();
      }
    }
  }

  /**
   * Hands {@code frame} to this relay if it is connected; false means "try another relay".
   *
   * @param due the frame's deadline (epoch ms): it is resent after a drop only until then
   */
  boolean trySend(byte[] frame, long due) {
    RelaySocket c = client;
    if (c == null || state != RelayState.CONNECTED || !c.isOpen()) {
      return false;
    }
    if (c.getConnection() instanceof WebSocketImpl engine
        && engine.outQueue.size() >= MAX_UNWRITTEN_FRAMES) {
      return false;
    }
    if (!c.write(frame, due, resendForgotten)) {
      return false; // closed under our feet (its onClose schedules the reconnect) or drained
    }
    lastWrite = clock.millis();
    framesSent.incrementAndGet();
    return true;
  }

  void close() {
    RelaySocket c;
    synchronized (lock) {
      if (state == RelayState.CLOSED) {
        return;
      }
      cancelTask();
      c = client;
      client = null;
      setState(RelayState.CLOSED);
    }
    if (c != null) {
      c.close(CloseFrame.NORMAL, "peer closing");
      // a relay that never answers the close handshake must not keep the socket open
      CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS).execute(() -> {
        if (!c.isClosed()) {
          c.abort();
        }
      });
    }
  }

  // ---- connecting and reconnecting (lock held) ----

  private void connect() {
    if (state == RelayState.CLOSED) {
      return;
    }
    attempts.incrementAndGet();
    URI uri;
    try {
      uri = endpoint.connectUri(tokens.token()); // a fresh JWT for every attempt
    } catch (RuntimeException e) {
      LOG.error("relay {}: cannot mint a connection token: {}", endpoint, e.toString());
      scheduleReconnect();
      return;
    }
    RelaySocket c = new RelaySocket(uri, options, this);
    c.setConnectionLostTimeout(0); // our own keepalive below; the library's would ping blindly
    c.setDaemon(true);
    c.setTcpNoDelay(true);
    client = c;
    setState(RelayState.CONNECTING);
    task = schedule(() -> handshakeTimedOut(c), options.connectTimeout().toMillis());
    LOG.debug("relay {}: connecting (attempt {})", endpoint, attempts.get());
    c.connect(); // returns at once; the client's own thread does DNS, TCP, TLS, handshake
  }

  private void scheduleReconnect() {
    failures++;
    long delay = Math.max(0, options.backoff().delay(failures).toMillis());
    setState(RelayState.WAITING);
    task = schedule(() -> {
      synchronized (lock) {
        if (state == RelayState.WAITING) {
          connect();
        }
      }
    }, delay);
  }

  private void handshakeTimedOut(RelaySocket c) {
    synchronized (lock) {
      if (c != client || state != RelayState.CONNECTING) {
        return;
      }
      client = null;
      LOG.warn("relay {}: no handshake within {}, reconnecting", endpoint,
          options.connectTimeout());
      scheduleReconnect();
    }
    c.abort();
  }

  // ---- socket events (called by RelaySocket on its reader thread) ----

  void opened(RelaySocket c) {
    synchronized (lock) {
      if (c != client || state == RelayState.CLOSED) {
        c.close();
        return;
      }
      cancelTask();
      failures = 0;
      long now = clock.millis();
      lastRead = now;
      lastWrite = now;
      lastPing = now;
      connects.incrementAndGet();
      setState(RelayState.CONNECTED);
      task = schedule(() -> keepalive(c), pingMillis);
    }
    LOG.info("relay {}: connected", endpoint);
    onConnected.run();
  }

  void received(RelaySocket c, ByteBuffer bytes) {
    if (c != client) {
      return;
    }
    lastRead = clock.millis();
    framesReceived.incrementAndGet();
    byte[] frame = new byte[bytes.remaining()];
    bytes.get(frame);
    try {
      listener.onFrame(endpoint, frame);
    } catch (RuntimeException e) {
      LOG.error("relay {}: frame listener failed", endpoint, e);
    }
  }

  void receivedText(RelaySocket c) {
    if (c == client) {
      lastRead = clock.millis();
      textFrames.incrementAndGet();
      LOG.warn("relay {}: dropped a text frame (RMB frames are binary)", endpoint);
    }
  }

  /**
   * The library refused a frame whose header announced more than the limit (before reading its
   * payload) and started closing with 1009. The rest of that frame is still on the wire, so
   * the connection cannot be kept: count, say why, and make sure it really goes away.
   */
  void refusedOversize(RelaySocket c) {
    if (c != client) {
      return;
    }
    oversizeFrames.incrementAndGet();
    LOG.warn("relay {}: refused a frame above the {}-byte limit (maxFrameSize); closing the "
        + "connection (1009) and reconnecting", endpoint, options.maxFrameSize());
    try {
      listener.onOversizeFrame(endpoint, options.maxFrameSize());
    } catch (RuntimeException e) {
      LOG.error("relay {}: frame listener failed", endpoint, e);
    }
    // a relay that never answers the close handshake must not keep this half-dead socket
    CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS).execute(() -> {
      if (!c.isClosed()) {
        c.abort();
      }
    });
  }

  void ponged(RelaySocket c) {
    if (c == client) {
      lastRead = clock.millis();
    }
  }

  void closed(RelaySocket c, int code, String reason, boolean remote) {
    boolean wasConnected;
    synchronized (lock) {
      if (c != client) {
        return; // replaced, timed out or closed by us: whoever replaced it decided
      }
      client = null;
      cancelTask();
      if (state == RelayState.CLOSED) {
        return;
      }
      wasConnected = state == RelayState.CONNECTED;
      if (wasConnected) {
        LOG.info("relay {}: connection lost ({} {}{}), reconnecting", endpoint, code, reason,
            remote ? ", closed by the relay" : "");
      } else if (failures == 0) {
        LOG.warn("relay {}: cannot connect ({} {}), retrying with backoff", endpoint, code,
            reason);
      } else {
        // a relay that stays down would otherwise fill the log every 30 s
        LOG.debug("relay {}: attempt {} failed ({} {})", endpoint, failures + 1, code, reason);
      }
      scheduleReconnect();
    }
    if (wasConnected) {
      resend(c); // outside our lock: the client's queue and timer take it from here
    }
  }

  /** Offers again what {@code c} wrote in the window; called after the state left CONNECTED. */
  private void resend(RelaySocket c) {
    if (resendMillis <= 0) {
      return;
    }
    ResendWindow.Drained drained = c.written.drain(clock.millis());
    int held = drained.live().isEmpty() ? 0 : reoffer.applyAsInt(drained.live());
    framesResent.addAndGet(held);
    int refused = drained.live().size() - held;
    LOG.info("relay {}: re-offering {} frame(s) written in the last {} ms before the "
        + "connection dropped ({} already past their deadline{})", endpoint, held, resendMillis,
        drained.expired(), refused > 0 ? ", " + refused + " refused: send queue full" : "");
  }

  // ---- keepalive (timer thread) ----

  private void keepalive(RelaySocket c) {
    if (c != client || state != RelayState.CONNECTED) {
      return;
    }
    long now = clock.millis();
    if (now - lastRead >= readTimeoutMillis) {
      synchronized (lock) {
        if (c != client) {
          return;
        }
        client = null;
        readTimeouts.incrementAndGet();
        LOG.warn("relay {}: nothing read for {} ms, reconnecting", endpoint, now - lastRead);
        scheduleReconnect();
      }
      c.abort();
      resend(c); // its onClose is ignored now (no longer the current client)
      return;
    }
    // Ping when we sent nothing for a while (rmb-peer's rule), and also when we read nothing
    // for a while: a busy sender would otherwise never ping and hit the read timeout.
    boolean idleOut = now - lastWrite >= pingMillis;
    boolean idleIn = now - lastRead >= pingMillis && now - lastPing >= pingMillis;
    if (idleOut || idleIn) {
      try {
        c.sendPing();
        lastPing = now;
        lastWrite = now;
        pings.incrementAndGet();
      } catch (WebsocketNotConnectedException e) {
        return; // onClose follows and reconnects
      }
    }
    long due = Math.min(lastWrite + pingMillis,
        Math.min(lastRead + readTimeoutMillis, Math.max(lastRead, lastPing) + pingMillis));
    long delay = Math.max(1, due - clock.millis());
    synchronized (lock) {
      if (c == client && state == RelayState.CONNECTED) {
        task = schedule(() -> keepalive(c), delay);
      }
    }
  }

  // ---- helpers ----

  private void setState(RelayState next) {
    state = next;
    try {
      // notifications go through the timer thread: in order, and never under our lock
      timer.execute(() -> listener.onStateChange(endpoint, next));
    } catch (RejectedExecutionException e) {
      // the client is shutting down; nobody is listening any more
    }
  }

  private ScheduledFuture<?> schedule(Runnable r, long delayMillis) {
    try {
      return timer.schedule(() -> {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.error("relay {}: timer task failed", endpoint, e);
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null; // shutting down
    }
  }

  private void cancelTask() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }
}
