package io.rmb.peer.runtime;

import io.rmb.peer.crypto.E2eCipher;
import io.rmb.peer.envelope.Expiry;
import io.rmb.peer.envelope.ProtocolException;
import io.rmb.peer.transport.RelayClient;
import io.rmb.peer.transport.RelayEndpoint;
import io.rmb.peer.transport.RelayListener;
import io.rmb.peer.transport.RelaySendException;
import io.rmb.peer.transport.RelayState;
import io.rmb.peer.transport.TokenProvider;
import io.rmb.peer.transport.Transport;
import io.rmb.proto.Address;
import io.rmb.proto.Envelope;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RMB peer: sends requests to other twins through relays and serves commands, wire
 * compatible with rmb-peer, the Go SDK and the TS client.
 *
 * <pre>{@code
 * try (RmbPeer peer = RmbPeer.create(options)) {
 *   peer.handle("calc.add", RequestHandler.sync(req -> Reply.of(add(req.payloadText()))));
 *   peer.start();
 *   RequestHandle handle = peer.request(List.of(7L), "zos.system.version", new byte[0],
 *       Duration.ofSeconds(30));
 *   Outcome outcome = handle.outcome(7).join();
 *   if (outcome instanceof Outcome.Response r) { ... r.payloadText() ... }
 * }
 * }</pre>
 *
 * <p>Thread-safe. Register handlers before {@link #start()}: relays deliver queued requests
 * as soon as the peer connects.
 *
 * <p>Threads: socket reader threads only hand frames to the pipeline executor (parse, verify,
 * decrypt, match answers); handlers run on the handler executor; one timer thread fires
 * request deadlines. Each defaults to a daemon pool owned by the peer and can be injected
 * through {@link RmbPeerOptions}.
 */
public final class RmbPeer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RmbPeer.class);
  private static final Duration MAX_TTL = Duration.ofSeconds(Expiry.MAX_TTL);

  private enum State { NEW, RUNNING, CLOSED }

  private final RmbPeerOptions options;
  private final Clock clock;
  private final Transport transport;
  private final Executor pipelineExecutor;
  private final Executor handlerExecutor;
  private final Scheduler scheduler;
  private final ExecutorService ownedPipeline;
  private final ExecutorService ownedHandlers;
  private final ScheduledExecutorService ownedTimer;
  private final Counters counters = new Counters();
  private final PendingRequests pending = new PendingRequests();
  private final Outbox outbox;
  private final Inbound inbound;
  private final Dispatcher dispatcher;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

  private RmbPeer(RmbPeerOptions options, Transport transport) {
    this.options = options;
    this.clock = options.clock();
    this.transport = transport;
    this.ownedPipeline = options.pipelineExecutor().isPresent() ? null
        : Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
            daemon("rmb-peer-pipeline"));
    this.pipelineExecutor = options.pipelineExecutor().orElse(ownedPipeline);
    // bounded: a flood of slow handlers queues up instead of growing threads without limit
    this.ownedHandlers = options.handlerExecutor().isPresent() ? null
        : Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
            daemon("rmb-peer-handler"));
    this.handlerExecutor = options.handlerExecutor().orElse(ownedHandlers);
    this.ownedTimer = options.scheduler().isPresent() ? null : timer();
    this.scheduler = options.scheduler().orElseGet(() -> Scheduler.of(ownedTimer, clock));
    E2eCipher cipher = options.identity().e2eKeyPair()
        .map(key -> new E2eCipher(key, options.random())).orElse(null);
    this.outbox = new Outbox(options.twin(), options.session().orElse(null),
        options.identity().signer(), cipher, options.twins(), transport, clock,
        pipelineExecutor, counters);
    this.dispatcher = new Dispatcher(handlerExecutor, outbox, pending, counters);
    this.inbound = new Inbound(options.twin(), options.twins(), cipher,
        new ReplayGuard(options.replayCapacity(), clock), clock, pipelineExecutor, counters,
        dispatcher);
  }

  /** A peer connecting to the relays of {@code options}; call {@link #start()} next. */
  public static RmbPeer create(RmbPeerOptions options) {
    Objects.requireNonNull(options, "options");
    TokenProvider tokens = TokenProvider.signed(options.identity().signer(), options.twin(),
        options.session().orElse(null), options.clock(), TokenProvider.DEFAULT_TTL);
    return new RmbPeer(options, new RelayClient(options.relayOptions(), tokens));
  }

  /** A peer on another transport; for tests of the pipelines without sockets. */
  static RmbPeer create(RmbPeerOptions options, Transport transport) {
    return new RmbPeer(Objects.requireNonNull(options, "options"),
        Objects.requireNonNull(transport, "transport"));
  }

  /**
   * Serves {@code command} with {@code handler}.
   *
   * @throws IllegalStateException when the command already has a handler
   */
  public RmbPeer handle(String command, RequestHandler handler) {
    dispatcher.register(command, handler);
    return this;
  }

  /**
   * Serves every command without its own handler (for bridges such as rmb-peer's Redis
   * queues). Without one, such requests are answered with error code 0
   * {@code "function is not found: <command>"}, as the Go SDK router does.
   */
  public RmbPeer handleOthers(RequestHandler handler) {
    dispatcher.fallback(handler);
    return this;
  }

  /**
   * Hands answers whose uid has no request waiting here (see {@link UnmatchedAnswer}) to
   * {@code listener} instead of dropping them; for bridges that keep their own record of what
   * they sent across restarts. The listener runs on a pipeline thread and must not block.
   */
  public RmbPeer onUnmatchedAnswer(Consumer<UnmatchedAnswer> listener) {
    dispatcher.unmatched(listener);
    return this;
  }

  /**
   * Connects to the relays and starts serving.
   *
   * @throws IllegalStateException when already started or closed
   */
  public RmbPeer start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException("peer is " + state.get().name().toLowerCase()
          + "; start() can be called once");
    }
    transport.start(new RelayListener() {
      @Override
      public void onFrame(RelayEndpoint relay, byte[] frame) {
        // called on a socket reader thread: hand off at once
        try {
          pipelineExecutor.execute(() -> inbound.accept(frame));
        } catch (RejectedExecutionException e) {
          counters.drop(DropReason.REJECTED);
        }
      }

      @Override
      public void onOversizeFrame(RelayEndpoint relay, int maxFrameSize) {
        counters.drop(DropReason.OVERSIZE);
      }

      @Override
      public void onStateChange(RelayEndpoint relay, RelayState relayState) {
        LOG.debug("twin {}: relay {} is {}", options.twin(), relay, relayState);
      }
    });
    LOG.info("twin {}{} started on {}", options.twin(),
        options.session().map(s -> " session " + s).orElse(""),
        options.relayOptions().relays());
    return this;
  }

  /** Sends {@code command} to every destination; see {@link #request(OutgoingRequest)}. */
  public RequestHandle request(List<Long> destinations, String command, byte[] payload,
      Duration ttl) {
    return request(OutgoingRequest.builder().destinations(destinations).command(command)
        .payload(payload).ttl(ttl).build());
  }

  /**
   * Sends a request to each destination twin: one uid for all, encrypted per destination
   * when that twin has an encryption key. Returns at once; twin lookups and sending continue
   * in the background and every destination ends with exactly one {@link Outcome}.
   *
   * <p>The deadline is now + ttl, capped by the envelope's own (second-granular) deadline;
   * the wire TTL is clamped like rmb-peer does (0: the default, above 1800 s: 1800 s). With
   * {@link OutgoingRequest#issuedAt()} the deadline counts from that instant (a resend keeps
   * it; one already past never reaches the wire and ends as "request was not sent").
   *
   * @throws IllegalStateException when the peer is not running, or a request with the same
   *     caller-chosen uid is still waiting for outcomes
   */
  public RequestHandle request(OutgoingRequest request) {
    Objects.requireNonNull(request, "request");
    State current = state.get();
    if (current != State.RUNNING) {
      throw new IllegalStateException(current == State.NEW ? "peer is not started"
          : "peer is closed");
    }
    long now = request.issuedAt().map(Instant::toEpochMilli).orElseGet(clock::millis);
    long timestamp = Math.floorDiv(now, 1000L);
    Duration ttl = request.ttl().filter(t -> !t.isZero()).orElse(options.defaultTtl());
    long ttlMillis = ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL.toMillis() : ttl.toMillis();
    long expiration = Expiry.clampTtl(Math.floorDiv(now + ttlMillis + 999, 1000L) - timestamp);
    Instant deadline = Instant.ofEpochMilli(Math.min(now + ttlMillis,
        (timestamp + expiration) * 1000L));
    String uid = request.uid().orElseGet(this::newUid);
    Map<Long, CompletableFuture<Outcome>> futures =
        pending.register(uid, request.destinations(), deadline);
    RequestHandle handle = new RequestHandle(uid, deadline, futures);
    pending.timer(uid, scheduler.schedule(deadline, () -> pending.expire(uid)));
    for (long destination : request.destinations()) {
      CompletableFuture<Void> sent;
      try {
        sent = outbox.request(uid, destination, request, timestamp, expiration, deadline);
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      sent.whenComplete((ignored, error) -> {
        if (error == null) {
          pending.markSent(uid, destination);
        } else {
          sendFailed(uid, destination, error);
        }
      });
    }
    return handle;
  }

  private void sendFailed(String uid, long destination, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause instanceof RelaySendException.Expired
        || cause instanceof ProtocolException.EnvelopeExpiredException) {
      return; // the deadline timer reports it, exactly at the deadline
    }
    if (cause instanceof ProtocolException p) {
      pending.fail(uid, destination, p.code(), p.getMessage());
    } else {
      pending.fail(uid, destination, 500, "request could not be sent: "
          + Inbound.rootMessage(cause));
    }
  }

  /**
   * Answers a request received earlier whose handler returned {@link Reply#later()}: a signed
   * response (encrypted when the twin has a key) or error to {@code twin} (and its
   * {@code connection}), with the request's {@code uid}. Works across restarts: nothing of
   * the request needs to be held in memory.
   *
   * @return completes when a relay connection took the envelope; fails with a
   *     {@code ProtocolException} or {@code RelaySendException} otherwise
   * @throws IllegalStateException when the peer is not running
   */
  public CompletableFuture<Void> reply(String uid, long twin, Optional<String> connection,
      Reply reply) {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(reply, "reply");
    if (reply.isLater()) {
      throw new IllegalArgumentException("Reply.later() is not an answer");
    }
    if (twin < 1 || twin > 0xffff_ffffL) {
      throw new IllegalArgumentException("twin must be in [1, 2^32), got " + twin);
    }
    State current = state.get();
    if (current != State.RUNNING) {
      throw new IllegalStateException(current == State.NEW ? "peer is not started"
          : "peer is closed");
    }
    Address.Builder source = Address.newBuilder().setTwin((int) twin);
    connection.filter(c -> !c.isEmpty()).ifPresent(source::setConnection);
    return dispatcher.deferred(Envelope.newBuilder().setUid(uid).setSource(source).build(),
        reply);
  }

  /** Our twin id. */
  public long twin() {
    return options.twin();
  }

  /** Our session id, if any. */
  public Optional<String> session() {
    return options.session();
  }

  /** True when at least one relay connection is open. */
  public boolean isConnected() {
    return transport.status().stream().anyMatch(s -> s.state() == RelayState.CONNECTED);
  }

  /** A snapshot of the counters and relay connections. */
  public PeerStats stats() {
    return counters.snapshot(pending.size(), transport.status());
  }

  /**
   * Drains and shuts down: stops accepting requests, waits up to the drain timeout for
   * handler replies in flight to go out, completes every open request destination with a
   * LOCAL error ("peer closed"), closes the relay connections and the peer's own threads.
   */
  @Override
  public void close() {
    State previous = state.getAndSet(State.CLOSED);
    if (previous == State.CLOSED) {
      return;
    }
    dispatcher.stopAccepting();
    try {
      if (previous == State.RUNNING && !dispatcher.awaitIdle(options.drainTimeout())) {
        LOG.warn("twin {}: {} handler replies still in flight after {}", options.twin(),
            dispatcher.inFlight(), options.drainTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pending.closeAll("peer closed before an answer arrived");
    transport.close();
    shutdown(ownedHandlers);
    shutdown(ownedPipeline);
    if (ownedTimer != null) {
      ownedTimer.shutdownNow();
    }
  }

  private static void shutdown(ExecutorService executor) {
    if (executor == null) {
      return;
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** A random (version 4) UUID from the injected random source. */
  private String newUid() {
    byte[] bytes = new byte[16];
    options.random().nextBytes(bytes);
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new UUID(buffer.getLong(), buffer.getLong()).toString();
  }

  private static ScheduledExecutorService timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, daemon("rmb-peer-timer"));
    // most requests finish early: drop their cancelled deadline tasks at once, not at expiry
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger counter = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
