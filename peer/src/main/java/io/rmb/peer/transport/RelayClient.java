package io.rmb.peer.transport;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections to 1..4 relays (wire.md section 5), all kept open and all read into one
 * {@link RelayListener}.
 *
 * <p>{@link #send} hands a frame to the first connected relay in configuration order. When
 * none is connected the frame waits (bounded by {@link RelayOptions#maxQueuedFrames()}) and
 * goes out as soon as any relay connects, or fails with {@link RelaySendException.Expired} at
 * its deadline. A frame also waits when every connected relay has {@code 1024} frames not yet
 * written (back-pressure); it is then offered again every few milliseconds while a relay is
 * connected, not only at the next connect. "Taken" means queued on an open WebSocket: like
 * rmb-peer, there is no delivery receipt. So that a frame written into a connection that dies
 * right after is not lost, frames written in the last {@link RelayOptions#resendWindow()}
 * before a connection drops (not by {@link #close()}) are held again, in order, and offered
 * like any waiting frame until their deadline; the receiver's replay guard drops a copy of
 * one the dead relay did deliver. The caller's future has completed already: a resend is not
 * reported to it.
 *
 * <pre>{@code
 * RelayClient relays = new RelayClient(RelayOptions.of("wss://relay.grid.tf"),
 *     TokenProvider.signed(identity.signer(), 42, null, Clock.systemUTC(),
 *         TokenProvider.DEFAULT_TTL));
 * relays.start((relay, frame) -> executor.execute(() -> handle(frame)));
 * relays.send(bytes, Instant.now().plusSeconds(60)).join();
 * }</pre>
 *
 * <p>Thread-safe. One daemon timer thread per client runs keepalive, reconnects and deadlines.
 */
public final class RelayClient implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(RelayClient.class);

  private final RelayOptions options;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final List<RelayConnection> connections;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile RelayListener listener;
  /** A retry of {@link #flush} is scheduled (timer thread only). */
  private boolean retryScheduled;
  /** How soon frames held back by back-pressure are offered again. */
  static final long BACKPRESSURE_RETRY_MILLIS = 5;

  public RelayClient(RelayOptions options, TokenProvider tokens) {
    this.options = Objects.requireNonNull(options, "options");
    Objects.requireNonNull(tokens, "tokens");
    this.clock = options.clock();
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "rmb-relay-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true); // frames sent early cancel their deadline task
    this.timer = timer;
    RelayListener forward = new RelayListener() {
      @Override
      public void onFrame(RelayEndpoint relay, byte[] frame) {
        listener.onFrame(relay, frame);
      }

      @Override
      public void onOversizeFrame(RelayEndpoint relay, int maxFrameSize) {
        listener.onOversizeFrame(relay, maxFrameSize);
      }

      @Override
      public void onStateChange(RelayEndpoint relay, RelayState state) {
        RelayListener l = listener;
        if (l != null) {
          l.onStateChange(relay, state);
        }
      }
    };
    List<RelayConnection> list = new ArrayList<>();
    for (RelayEndpoint endpoint : options.relays()) {
      list.add(new RelayConnection(endpoint, options, tokens, timer, forward, this::flushSoon,
          this::reoffer));
    }
    this.connections = Collections.unmodifiableList(list);
  }

  /**
   * Connects to every relay and delivers what they send to {@code listener}.
   *
   * @throws IllegalStateException when already started or closed
   */
  @Override
  public void start(RelayListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (closed.get()) {
      throw new IllegalStateException("relay client is closed");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("relay client is already started");
    }
    this.listener = listener;
    connections.forEach(RelayConnection::start);
  }

  @Override
  public CompletableFuture<RelayEndpoint> send(byte[] frame, Instant deadline) {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(deadline, "deadline");
    if (closed.get()) {
      return CompletableFuture.failedFuture(
          new RelaySendException.Closed("relay client is closed; frame not sent"));
    }
    long now = clock.millis();
    long due = deadline.toEpochMilli();
    if (due <= now) {
      return CompletableFuture.failedFuture(new RelaySendException.Expired(
          "frame deadline " + deadline + " passed before it could be sent"));
    }
    RelayEndpoint taken = offer(frame, due);
    if (taken != null) {
      return CompletableFuture.completedFuture(taken);
    }
    if (queued.incrementAndGet() > options.maxQueuedFrames()) {
      queued.decrementAndGet();
      return CompletableFuture.failedFuture(new RelaySendException.QueueFull(
          options.maxQueuedFrames() + " frames are already waiting for a relay connection ("
              + describe() + ")"));
    }
    Pending pending = new Pending(frame, due);
    queue.add(pending);
    try {
      pending.expiry = timer.schedule(() -> expire(pending), due - now, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      remove(pending);
      pending.future.completeExceptionally(
          new RelaySendException.Closed("relay client is closed; frame not sent"));
      return pending.future;
    }
    // a relay may have connected between offer() and queue.add(): look again
    flushSoon();
    return pending.future;
  }

  @Override
  public List<RelayStatus> status() {
    return connections.stream().map(RelayConnection::status).collect(Collectors.toList());
  }

  /** True when at least one relay is connected. */
  public boolean isConnected() {
    return status().stream().anyMatch(s -> s.state() == RelayState.CONNECTED);
  }

  /** Frames waiting for a relay connection right now. */
  public int queuedFrames() {
    return queued.get();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    connections.forEach(RelayConnection::close);
    Pending pending;
    while ((pending = queue.poll()) != null) {
      queued.decrementAndGet();
      pending.future.completeExceptionally(
          new RelaySendException.Closed("relay client closed before the frame was sent"));
    }
    timer.shutdownNow();
  }

  // ---- queue (flush and expire run on the timer thread only, so they never race) ----

  private RelayEndpoint offer(byte[] frame, long due) {
    for (RelayConnection connection : connections) {
      if (connection.trySend(frame, due)) {
        return connection.endpoint();
      }
    }
    return null;
  }

  private void flushSoon() {
    try {
      timer.execute(this::flush);
    } catch (RejectedExecutionException e) {
      // closed: close() fails what is left
    }
  }

  private void flush() {
    for (Pending pending : queue) {
      if (pending.future.isDone()) {
        remove(pending);
        continue;
      }
      RelayEndpoint taken = offer(pending.frame, pending.due);
      if (taken == null) {
        // nothing connected: the next connect flushes again. Connected but every write queue
        // full: no connect event will come, so look again soon (or wait for the deadline)
        if (isConnected()) {
          retrySoon();
        }
        return;
      }
      remove(pending);
      if (pending.expiry != null) {
        pending.expiry.cancel(false);
      }
      pending.future.complete(taken);
    }
  }

  /**
   * Holds frames of a dropped connection again, behind what already waits, in their order;
   * their futures are nobody's (the original send completed), so an expiry is only logged.
   *
   * @return how many were held (the rest: past the deadline, or the queue is full)
   */
  private int reoffer(List<ResendWindow.Sent> frames) {
    int held = 0;
    long now = clock.millis();
    for (ResendWindow.Sent sent : frames) {
      if (closed.get()) {
        break;
      }
      if (sent.due() <= now) {
        continue;
      }
      if (queued.incrementAndGet() > options.maxQueuedFrames()) {
        queued.decrementAndGet();
        continue;
      }
      Pending pending = new Pending(sent.frame(), sent.due());
      queue.add(pending);
      try {
        pending.expiry = timer.schedule(() -> expire(pending), sent.due() - now,
            TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        remove(pending); // closing: nothing will be sent any more
        break;
      }
      held++;
    }
    flushSoon();
    return held;
  }

  private void retrySoon() {
    if (retryScheduled) {
      return;
    }
    retryScheduled = true;
    try {
      timer.schedule(() -> {
        retryScheduled = false;
        flush();
      }, BACKPRESSURE_RETRY_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      retryScheduled = false; // closed: close() fails what is left
    }
  }

  private void expire(Pending pending) {
    long early = pending.due - clock.millis();
    if (early > 0) {
      // the timer's clock and ours disagree slightly: never fail a frame before its deadline
      pending.expiry = timer.schedule(() -> expire(pending), early, TimeUnit.MILLISECONDS);
      return;
    }
    if (remove(pending)) {
      String message = "no relay took the frame before its deadline "
          + Instant.ofEpochMilli(pending.due) + " (" + describe() + ")";
      LOG.debug(message);
      pending.future.completeExceptionally(new RelaySendException.Expired(message));
    }
  }

  private boolean remove(Pending pending) {
    if (queue.remove(pending)) {
      queued.decrementAndGet();
      return true;
    }
    return false;
  }

  private String describe() {
    return status().stream()
        .map(s -> s.endpoint() + " " + s.state() + " after " + s.attempts() + " attempt(s)")
        .collect(Collectors.joining(", "));
  }

  private static final class Pending {
    final byte[] frame;
    final long due;
    final CompletableFuture<RelayEndpoint> future = new CompletableFuture<>();
    volatile ScheduledFuture<?> expiry;

    Pending(byte[] frame, long due) {
      this.frame = frame;
      this.due = due;
    }
  }
}
