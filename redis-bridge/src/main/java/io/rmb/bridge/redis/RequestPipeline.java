package io.rmb.bridge.redis;

import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.proto.Backlog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests from {@link Keys#LOCAL} to the network and their answers back to the client's
 * {@code ret}. Each request stays in {@link Keys#LOCAL_PROCESSING} from the moment it is popped
 * until every destination has its outcome on {@code ret}:
 *
 * <ol>
 *   <li>popped raw (BLMOVE): a crash now re-reads it at start as if new; nothing was sent;
 *   <li>accepted: one script swaps the raw entry for one carrying the uid and issue time and
 *       writes {@code msgbus.backlog.<uid>}; only then is it sent, so a resend after a crash
 *       has the same uid (the receiver drops the duplicate, the answer still correlates);
 *   <li>answered: each destination's answer is pushed once (the answered set guards resends,
 *       however late they come); when all are pushed the entry and its set are removed.
 * </ol>
 *
 * <p>A destination that does not answer before the deadline gets error 102 on {@code ret}
 * (pushed once like any answer), so every request ends with exactly one answer or error per
 * destination, also when its envelope died in a relay (a frame a relay took has no delivery
 * receipt). With {@link RedisBridgeOptions#timeoutErrors()} off timeouts push nothing, as
 * rmb-peer (clients time out on their BLPOP), except for a request resent after a restart:
 * its answer may have reached the process that died, so it always gets the 102. One whose
 * deadline passed while the bridge was down is not sent again: it gets that 102 at once.
 */
final class RequestPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(RequestPipeline.class);
  /** How long pushing an answer (or finishing) is retried while Redis fails. */
  static final Duration ANSWER_RETRY = Duration.ofSeconds(60);

  private final RmbPeer peer;
  private final RedisOps ops;
  private final BridgeMetrics metrics;
  private final Clock clock;
  private final Semaphore permits;
  private final BooleanSupplier closing;
  private final RedisRetry retry;
  private final boolean timeoutErrors;

  RequestPipeline(RmbPeer peer, RedisOps ops, BridgeMetrics metrics, Clock clock,
      int maxInFlight, BooleanSupplier closing, RedisRetry retry, boolean timeoutErrors) {
    this.peer = peer;
    this.ops = ops;
    this.metrics = metrics;
    this.clock = clock;
    this.permits = new Semaphore(maxInFlight);
    this.closing = closing;
    this.retry = retry;
    this.timeoutErrors = timeoutErrors;
  }

  /** Blocks until another request may be taken (at most maxInFlight unfinished). */
  void acquire() throws InterruptedException {
    permits.acquire();
    metrics.inFlight().incrementAndGet();
  }

  /** Takes up to {@code max} permits without waiting; returns how many. */
  int tryAcquire(int max) {
    for (int taken = 0; taken < max; taken++) {
      if (!permits.tryAcquire()) {
        return taken;
      }
      metrics.inFlight().incrementAndGet();
    }
    return max;
  }

  /** Gives back a permit taken by {@link #acquire()} without a request (empty poll). */
  void release() {
    metrics.inFlight().decrementAndGet();
    permits.release();
  }

  /**
   * Handles one entry of the processing list, holding a permit from {@link #acquire()}: a raw
   * client message (just popped, or left raw by a crash) or an accepted one to resend.
   */
  void process(byte[] entry, boolean recovered) {
    try {
      Optional<ProcessingEntry> accepted = ProcessingEntry.decode(entry);
      if (accepted.isPresent()) {
        resend(entry, accepted.get());
      } else {
        accept(entry);
      }
    } catch (RuntimeException e) {
      // a bug, not bad input (that is handled below): keep the entry for the next start
      LOG.error("request left in {} after an unexpected failure", Keys.LOCAL_PROCESSING, e);
      release();
    }
  }

  private void accept(byte[] raw) {
    Instant poppedAt = clock.instant();
    RedisJson.LocalRequest request;
    try {
      request = RedisJson.parseRequest(raw, poppedAt.getEpochSecond());
    } catch (MalformedMessageException e) {
      reject(raw, e);
      return;
    }
    String uid = UUID.randomUUID().toString();
    ProcessingEntry entry = new ProcessingEntry(uid, poppedAt, raw);
    byte[] encoded = entry.encode(); // once: the script writes it, the pipeline removes it
    long ttl = request.ttl().toSeconds();
    Backlog.Builder backlog = Backlog.newBuilder().setUid(uid).setReplyTo(request.ret())
        .setTtl(ttl);
    if (request.ref() != null) {
      backlog.setReference(request.ref());
    }
    byte[] backlogBytes = backlog.build().toByteArray();
    // retried on a Redis error (a restarted server LOADING its AOF) until the deadline: once
    // given up, the request waits in the processing list for the next bridge start
    retry.run("accept", poppedAt.plus(request.ttl()),
            () -> ops.accept(raw, encoded, Keys.backlog(uid), backlogBytes, ttl))
        .whenComplete((present, error) -> {
          if (error == null && !present) {
            LOG.warn("request already taken from {}; not sent twice", Keys.LOCAL_PROCESSING);
            release();
          } else if (error != null) {
            LOG.warn("request not accepted (Redis: {}); it stays in {} for the next start",
                error.getMessage(), Keys.LOCAL_PROCESSING);
            release();
          } else {
            send(encoded, entry, request, false); // never sent before: nothing to lose
          }
        });
  }

  private void resend(byte[] encoded, ProcessingEntry entry) {
    RedisJson.LocalRequest request;
    try {
      // parsed as of its first pop, so it is exactly the request that was accepted
      request = RedisJson.parseRequest(entry.raw(), entry.issuedAt().getEpochSecond());
    } catch (MalformedMessageException e) {
      reject(encoded, e); // cannot happen for an entry we accepted, unless edited by hand
      return;
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("resending {} (ref {}) issued {} with ttl {} s", entry.uid(), request.ref(),
          entry.issuedAt(), request.ttl().toSeconds());
    }
    send(encoded, entry, request, true);
  }

  private void send(byte[] encoded, ProcessingEntry entry, RedisJson.LocalRequest request,
      boolean recovered) {
    Map<Long, CompletableFuture<Outcome>> outcomes;
    Instant deadline = entry.issuedAt().plus(request.ttl());
    if (recovered && !deadline.isAfter(clock.instant())) {
      // its deadline passed while the bridge was down: the previous process may have sent it
      // and its answer died with it. The peer would answer "request was not sent: no relay
      // connection took it", which is wrong here; each destination gets the restart's 102.
      outcomes = new LinkedHashMap<>();
      for (long twin : request.destinations()) {
        outcomes.put(twin, CompletableFuture.completedFuture(new Outcome.Timeout(twin,
            deadline)));
      }
    } else {
      try {
        outcomes = peer.request(request.toOutgoing(entry.uid(), entry.issuedAt())).outcomes();
      } catch (IllegalStateException e) {
        // peer closing, or the same uid twice in the list: leave it for the next start
        LOG.warn("request {} not sent now ({}); it stays in {}", entry.uid(), e.getMessage(),
            Keys.LOCAL_PROCESSING);
        release();
        return;
      }
      metrics.requestSent(recovered);
    }
    int destinations = outcomes.size();
    List<CompletableFuture<Boolean>> pushes = outcomes.values().stream()
        .map(outcome -> outcome.thenCompose(o -> deliver(entry.uid(), request, o, recovered,
            destinations, encoded)))
        .toList();
    CompletableFuture.allOf(pushes.toArray(CompletableFuture<?>[]::new))
        .thenCompose(ignored -> {
          if (pushes.stream().anyMatch(CompletableFuture::join)) {
            // the last answer's script removed the entry already (the usual case)
            return CompletableFuture.completedFuture(0L);
          }
          if (closing.getAsBoolean()) {
            return CompletableFuture.completedFuture(0L); // not all delivered: keep it
          }
          // a timeout pushed nothing, or duplicates
          return retry.run("finish", clock.instant().plus(ANSWER_RETRY),
              () -> ops.finish(encoded, entry.uid()));
        })
        .whenComplete((ignored, error) -> {
          if (error != null) {
            LOG.warn("request {}: answer not pushed (Redis: {}); it is resent at the next "
                + "start", entry.uid(), error.getMessage());
          }
          release();
        });
  }

  /** Completes with true when this answer was the last one and finished the request. */
  private CompletableFuture<Boolean> deliver(String uid, RedisJson.LocalRequest request,
      Outcome outcome, boolean recovered, int destinations, byte[] entry) {
    if (closing.getAsBoolean()) {
      // "peer closed" errors are our own shutdown, not an answer: resend at the next start
      return CompletableFuture.completedFuture(false);
    }
    String twin = Long.toString(outcome.twin());
    long now = clock.instant().getEpochSecond();
    byte[] message;
    if (outcome instanceof Outcome.Timeout) {
      metrics.timeout();
      if (recovered) {
        // its answer may have reached the process that died, and the destination drops the
        // resend as a duplicate: say so once instead of staying silent, whatever the option
        message = RedisJson.error(request.ref(), "", 102, "no answer from twin " + twin
            + " before the deadline; the request was pending when the bridge restarted and its "
            + "answer may have been lost with the previous process", now);
      } else if (timeoutErrors) {
        message = RedisJson.error(request.ref(), "", 102, "no answer from twin " + twin
            + " before the deadline (" + request.ttl().toSeconds() + " s)", now);
      } else {
        return CompletableFuture.completedFuture(false); // as rmb-peer: the client times out
      }
    } else {
      message = RedisJson.answer(request.ref(), RedisJson.source(outcome), outcome, now);
    }
    // the answer is in hand: retried on a Redis error rather than lost until the next start
    // (a retry of a push that ran is a duplicate, so nothing is pushed twice)
    return retry.run("answer", clock.instant().plus(ANSWER_RETRY),
            () -> ops.answerOnce(uid, twin, request.ret(), message, destinations, entry))
        .thenApply(result -> {
          if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} (ref {}) from twin {}: {}", outcome.kind(), uid, request.ref(),
                twin, result.duplicate() ? "dropped, answered already" : "pushed");
          }
          if (result.duplicate()) {
            metrics.answerDropped("duplicate");
          } else {
            metrics.trimmed("ret", result.trimmed());
            metrics.answerPushed(outcome.kind().name().toLowerCase(java.util.Locale.ROOT),
                false);
          }
          return result.finished();
        });
  }

  private void reject(byte[] entry, MalformedMessageException e) {
    long now = clock.instant().getEpochSecond();
    CompletableFuture<Long> pushed;
    if (e.ret().isPresent()) {
      LOG.info("request rejected on {} with {}: {}", e.ret().get(), e.code(), e.getMessage());
      metrics.rejected(e.reason());
      pushed = ops.finishAndPush(Keys.LOCAL_PROCESSING, entry, e.ret().get(),
          RedisJson.error(e.ref().orElse(null), "", e.code(), e.getMessage(), now));
    } else {
      LOG.warn("request moved to {} ({}): {}", Keys.DEAD, e.reason(), e.getMessage());
      metrics.deadLettered(Keys.LOCAL, e.reason());
      pushed = ops.finishAndPush(Keys.LOCAL_PROCESSING, entry, Keys.DEAD,
          RedisJson.deadLetter(Keys.LOCAL, e.reason() + ": " + e.getMessage(), entry, now));
    }
    String queue = e.ret().isPresent() ? "ret" : "dead";
    pushed.whenComplete((trimmed, error) -> {
      if (error != null) {
        metrics.redisError("reject");
        LOG.warn("rejected request stays in {} (Redis: {})", Keys.LOCAL_PROCESSING,
            error.getMessage());
      } else {
        metrics.trimmed(queue, trimmed);
      }
      release();
    });
  }
}
