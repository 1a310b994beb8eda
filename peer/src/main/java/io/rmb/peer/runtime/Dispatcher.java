package io.rmb.peer.runtime;

import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.envelope.Expiry;
import io.rmb.peer.envelope.ProtocolException;
import io.rmb.proto.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where verified envelopes go: requests to their command handlers (on the handler executor),
 * answers and relay errors to the waiting requests, failed requests back to their senders as
 * signed errors. Counts handler replies in flight so {@code close()} can let them go out.
 */
final class Dispatcher implements Inbound.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  /** The Go SDK router's answer for a command nobody serves; its prefix is kept for clients. */
  static final String UNKNOWN_COMMAND = "function is not found: ";

  private final Map<String, RequestHandler> handlers = new ConcurrentHashMap<>();
  private volatile RequestHandler fallback;
  private volatile Consumer<UnmatchedAnswer> unmatched;
  private volatile boolean accepting = true;
  private final Object idle = new Object();
  private int inFlight; // guarded by idle

  private final Executor handlerExecutor;
  private final Outbox outbox;
  private final PendingRequests pending;
  private final Counters counters;

  Dispatcher(Executor handlerExecutor, Outbox outbox, PendingRequests pending,
      Counters counters) {
    this.handlerExecutor = handlerExecutor;
    this.outbox = outbox;
    this.pending = pending;
    this.counters = counters;
  }

  void register(String command, RequestHandler handler) {
    Objects.requireNonNull(handler, "handler");
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty");
    }
    if (handlers.putIfAbsent(command, handler) != null) {
      throw new IllegalStateException("a handler for command '" + command
          + "' is already registered");
    }
  }

  void unmatched(Consumer<UnmatchedAnswer> listener) {
    this.unmatched = Objects.requireNonNull(listener, "listener");
  }

  void fallback(RequestHandler handler) {
    this.fallback = Objects.requireNonNull(handler, "handler");
  }

  // ---- Inbound.Sink ----

  @Override
  public void request(Envelope envelope, byte[] payload) {
    if (!accepting) {
      counters.drop(DropReason.REJECTED);
      begin();
      track(outbox.error(envelope, 0, "peer is shutting down", Outbox.REPLY_TTL), envelope);
      return;
    }
    counters.requestsReceived.increment();
    String command = envelope.getRequest().getCommand();
    RequestHandler handler = handlers.getOrDefault(command, fallback);
    IncomingRequest request = new IncomingRequest(envelope.getUid(),
        Envelopes.sourceTwin(envelope),
        envelope.getSource().hasConnection() ? envelope.getSource().getConnection() : null,
        command, payload, envelope.hasSchema() ? envelope.getSchema() : null,
        envelope.hasTags() ? envelope.getTags() : null,
        Instant.ofEpochSecond(Math.min(Expiry.deadline(envelope.getTimestamp(),
            envelope.getExpiration()), Instant.MAX.getEpochSecond())));
    begin();
    try {
      handlerExecutor.execute(() -> invoke(handler, request, envelope));
    } catch (RejectedExecutionException e) {
      counters.drop(DropReason.REJECTED);
      send(envelope, Reply.error("peer is shutting down"));
    }
  }

  private void invoke(RequestHandler handler, IncomingRequest request, Envelope envelope) {
    if (handler == null) {
      send(envelope, Reply.error(UNKNOWN_COMMAND + request.command()));
      return;
    }
    CompletionStage<Reply> stage;
    try {
      stage = Objects.requireNonNull(handler.handle(request), "handler returned no stage");
    } catch (Throwable t) { // a handler must never cost the requester its answer
      stage = CompletableFuture.failedFuture(t);
      if (t instanceof VirtualMachineError) {
        send(envelope, failure(t));
        throw (VirtualMachineError) t;
      }
    }
    stage.whenComplete((reply, error) -> {
      if (error != null) {
        send(envelope, failure(error));
      } else if (reply == null) {
        counters.handlerFailures.increment();
        send(envelope, Reply.error("handler returned no reply"));
      } else if (reply.isLater()) {
        end(); // the application answers through RmbPeer.reply
      } else {
        send(envelope, reply);
      }
    });
  }

  /**
   * A reply given later through {@code RmbPeer.reply} (the handler returned
   * {@link Reply#later()}): sent like a handler's reply and, like one, waited for by close().
   */
  CompletableFuture<Void> deferred(Envelope request, Reply reply) {
    begin();
    CompletableFuture<Void> sent;
    try {
      sent = outbox.reply(request, reply);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.whenComplete((ignored, error) -> end());
  }

  private Reply failure(Throwable error) {
    counters.handlerFailures.increment();
    LOG.debug("handler failed", error);
    return Reply.error(Inbound.rootMessage(error));
  }

  private void send(Envelope envelope, Reply reply) {
    CompletableFuture<Void> sent;
    try {
      sent = outbox.reply(envelope, reply);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((ignored, error) -> {
      if (error != null) {
        LOG.warn("could not send the reply to request {} from twin {}: {}", envelope.getUid(),
            Envelopes.sourceTwin(envelope), Inbound.rootMessage(error));
      }
      end();
    });
  }

  @Override
  public void answer(Envelope envelope, byte[] payload) {
    long twin = Envelopes.sourceTwin(envelope);
    String session = envelope.getSource().hasConnection()
        ? envelope.getSource().getConnection() : null;
    Outcome outcome = envelope.hasError()
        ? new Outcome.Error(twin, Outcome.Origin.PEER,
            Integer.toUnsignedLong(envelope.getError().getCode()),
            envelope.getError().getMessage(), session)
        : new Outcome.Response(twin, payload, envelope.hasSchema() ? envelope.getSchema() : null,
            session);
    count(pending.answer(envelope.getUid(), twin, outcome), envelope, outcome);
  }

  @Override
  public void relayError(Envelope envelope) {
    long code = Integer.toUnsignedLong(envelope.getError().getCode());
    PendingRequests.Match match = pending.relayError(envelope.getUid(), code,
        envelope.getError().getMessage());
    if (match == PendingRequests.Match.UNKNOWN_UID
        && !deliverUnmatched(envelope.getUid(), null, new Outcome.Error(0, Outcome.Origin.RELAY,
            code, envelope.getError().getMessage()))) {
      counters.drop(DropReason.UNMATCHED_RELAY_ERROR);
    }
    LOG.debug("relay error for {}: {} ({})", envelope.getUid(),
        envelope.getError().getMessage(), match);
  }

  @Override
  public void reject(Envelope request, ProtocolException error) {
    begin();
    track(outbox.error(request, error.code(), error.getMessage(), request.getExpiration()),
        request);
  }

  @Override
  public void unreadableAnswer(Envelope answer, ProtocolException error) {
    long twin = Envelopes.sourceTwin(answer);
    Outcome outcome = new Outcome.Error(twin, Outcome.Origin.LOCAL, error.code(),
        error.getMessage());
    count(pending.answer(answer.getUid(), twin, outcome), answer, outcome);
  }

  private void count(PendingRequests.Match match, Envelope answer, Outcome outcome) {
    switch (match) {
      case MATCHED -> counters.answersReceived.increment();
      case UNKNOWN_UID -> {
        String session = answer.getSource().hasConnection()
            && !answer.getSource().getConnection().isEmpty()
            ? answer.getSource().getConnection() : null;
        if (!deliverUnmatched(answer.getUid(), session, outcome)) {
          counters.drop(DropReason.UNKNOWN_REQUEST);
        }
      }
      case UNEXPECTED_SOURCE -> counters.drop(DropReason.UNEXPECTED_SOURCE);
      default -> counters.drop(DropReason.ALREADY_ANSWERED);
    }
  }

  /** True when a listener took the answer; a throwing listener is logged, not retried. */
  private boolean deliverUnmatched(String uid, String session, Outcome outcome) {
    Consumer<UnmatchedAnswer> listener = unmatched;
    if (listener == null) {
      return false;
    }
    counters.answersUnmatched.increment();
    try {
      listener.accept(new UnmatchedAnswer(uid, Optional.ofNullable(session), outcome));
    } catch (RuntimeException e) {
      LOG.warn("the unmatched-answer listener failed for uid {}", uid, e);
    }
    return true;
  }

  // ---- drain ----

  private void track(CompletableFuture<Void> sent, Envelope request) {
    sent.whenComplete((ignored, error) -> {
      if (error != null) {
        LOG.warn("could not send an error to twin {} for request {}: {}",
            Envelopes.sourceTwin(request), request.getUid(), Inbound.rootMessage(error));
      }
      end();
    });
  }

  private void begin() {
    synchronized (idle) {
      inFlight++;
    }
  }

  private void end() {
    synchronized (idle) {
      inFlight--;
      if (inFlight == 0) {
        idle.notifyAll();
      }
    }
  }

  /** Stops starting handlers; later requests are answered "peer is shutting down". */
  void stopAccepting() {
    accepting = false;
  }

  /** Waits until every handler reply and error in flight went out; false on timeout. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (inFlight > 0) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        idle.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  int inFlight() {
    synchronized (idle) {
      return inFlight;
    }
  }
}
