package io.rmb.peer.runtime;

import io.rmb.peer.crypto.E2eCipher;
import io.rmb.peer.crypto.E2eCryptoException;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.envelope.Expiry;
import io.rmb.peer.envelope.ProtocolException;
import io.rmb.peer.twin.CachingTwinDirectory;
import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.proto.Envelope;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incoming pipeline of wire.md section 5: parse, relay errors, TTL (102), sender lookup
 * (103), signature (104), replay check, decryption (105/106), then hand over to the
 * {@link Sink}.
 *
 * <p>A signature or decryption failure may be a key the sender rotated after we cached its
 * twin, so the twin is invalidated and fetched once more before giving up. Forged envelopes
 * could use that to make us hammer the directory, so each twin is refetched at most once per
 * {@link #REFETCH_COOLDOWN_MILLIS}. Nothing here blocks: twin lookups are futures continued on
 * the pipeline executor.
 */
final class Inbound {
  private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);
  /** Minimum time between two forced refetches of the same twin. */
  static final long REFETCH_COOLDOWN_MILLIS = 10_000;
  private static final int MAX_REFETCH_ENTRIES = 10_000;

  /** Where envelopes go once the pipeline is done with them. */
  interface Sink {
    /** A verified, decrypted request. */
    void request(Envelope envelope, byte[] payload);

    /** A verified, decrypted response or error from a peer. */
    void answer(Envelope envelope, byte[] payload);

    /** An unsigned error envelope from a relay. */
    void relayError(Envelope envelope);

    /** A request that failed a check: answer it with a signed error of {@code error.code()}. */
    void reject(Envelope request, ProtocolException error);

    /** An authenticated answer whose payload could not be opened (105/106). */
    void unreadableAnswer(Envelope answer, ProtocolException error);
  }

  private final long ownTwin;
  private final TwinDirectory twins;
  private final E2eCipher cipher;
  private final ReplayGuard replay;
  private final Clock clock;
  private final Executor executor;
  private final Counters counters;
  private final Sink sink;
  private final Map<Long, Long> lastRefetch = new ConcurrentHashMap<>();

  Inbound(long ownTwin, TwinDirectory twins, E2eCipher cipher, ReplayGuard replay, Clock clock,
      Executor executor, Counters counters, Sink sink) {
    this.ownTwin = ownTwin;
    this.twins = twins;
    this.cipher = cipher;
    this.replay = replay;
    this.clock = clock;
    this.executor = executor;
    this.counters = counters;
    this.sink = sink;
  }

  /** Runs one frame through the pipeline; called on the pipeline executor. */
  void accept(byte[] frame) {
    counters.framesReceived.increment();
    Envelope envelope;
    try {
      envelope = Envelopes.decode(frame);
    } catch (ProtocolException e) {
      // no uid we could trust to answer: log and drop (wire.md section 5)
      LOG.warn("dropped an undecodable frame: {}", e.getMessage());
      counters.drop(DropReason.UNDECODABLE);
      return;
    }
    if (Envelopes.isRelayError(envelope)) {
      counters.relayErrorsReceived.increment();
      sink.relayError(envelope);
      return;
    }
    if (Envelopes.sourceTwin(envelope) == 0) {
      drop(envelope, DropReason.NO_SOURCE);
      return;
    }
    if (!envelope.hasRequest() && !envelope.hasResponse() && !envelope.hasError()) {
      drop(envelope, DropReason.UNSUPPORTED_MESSAGE);
      return;
    }
    if (Envelopes.destinationTwin(envelope) != ownTwin) {
      // a relay never delivers these; a signed envelope for another twin is a replay attempt
      drop(envelope, DropReason.WRONG_DESTINATION);
      return;
    }
    try {
      Expiry.requireAlive(envelope, clock);
    } catch (ProtocolException e) {
      fail(envelope, e, DropReason.EXPIRED);
      return;
    }
    long sender = Envelopes.sourceTwin(envelope);
    CompletableFuture<Optional<Twin>> twin = lookup(sender);
    if (twin.isDone() && !twin.isCompletedExceptionally()) {
      // accept() runs on the pipeline executor already: a cached twin (the usual case) needs
      // no second hand-off, which cost a queue offer and often a thread wake-up per frame
      verify(envelope, twin.join(), null, false);
    } else {
      twin.whenCompleteAsync((found, error) -> verify(envelope, found, error, false), executor);
    }
  }

  private void verify(Envelope envelope, Optional<Twin> twin, Throwable error,
      boolean refetched) {
    long sender = Envelopes.sourceTwin(envelope);
    if (error != null) {
      fail(envelope, ProtocolException.of(500, "failed to get twin information for twin "
          + sender + ": " + rootMessage(error)), DropReason.DIRECTORY_FAILURE);
      return;
    }
    if (twin.isEmpty()) {
      fail(envelope, ProtocolException.of(103, "unknown twin id '" + sender + "'"),
          DropReason.UNKNOWN_TWIN);
      return;
    }
    try {
      Envelopes.verify(envelope, twin.get().account());
    } catch (ProtocolException e) {
      if (!refetched && mayRefetch(sender)) {
        refetch(sender).whenCompleteAsync((fresh, err) -> verify(envelope, fresh, err, true),
            executor);
      } else {
        fail(envelope, e, DropReason.BAD_SIGNATURE);
      }
      return;
    }
    // authenticated from here on: only now may the envelope enter the replay table
    long deadline = Expiry.deadline(envelope.getTimestamp(), envelope.getExpiration());
    if (!replay.firstSeen(sender, envelope.getUid(), envelope.hasRequest(), deadline)) {
      drop(envelope, DropReason.DUPLICATE);
      return;
    }
    open(envelope, twin.get(), refetched);
  }

  private void open(Envelope envelope, Twin twin, boolean refetched) {
    if (!envelope.hasCipher()) {
      deliver(envelope, envelope.getPlain().toByteArray());
      return;
    }
    if (cipher == null) {
      fail(envelope, ProtocolException.of(106,
          "e2e error: received an encrypted payload but this peer has no encryption key"),
          DropReason.DECRYPT_FAILED);
      return;
    }
    Optional<byte[]> pk = twin.publicKey();
    ProtocolException problem;
    DropReason reason;
    if (pk.isEmpty()) {
      problem = ProtocolException.of(105, "sender twin has no public key");
      reason = DropReason.NO_PUBLIC_KEY;
    } else {
      try {
        deliver(envelope, cipher.decrypt(pk.get(), envelope.getCipher().toByteArray()));
        return;
      } catch (E2eCryptoException e) {
        problem = ProtocolException.of(106, "e2e error: " + e.getMessage());
        reason = DropReason.DECRYPT_FAILED;
      }
    }
    long sender = twin.id();
    if (refetched || !mayRefetch(sender)) {
      fail(envelope, problem, reason);
      return;
    }
    refetch(sender).whenCompleteAsync((fresh, err) -> {
      if (err != null || fresh.isEmpty()) {
        fail(envelope, problem, reason);
      } else {
        open(envelope, fresh.get(), true);
      }
    }, executor);
  }

  private void deliver(Envelope envelope, byte[] payload) {
    if (envelope.hasRequest()) {
      sink.request(envelope, payload);
    } else {
      sink.answer(envelope, payload);
    }
  }

  private void fail(Envelope envelope, ProtocolException error, DropReason reason) {
    counters.drop(reason);
    if (envelope.hasRequest()) {
      LOG.debug("rejecting request {} from twin {}: {} {}", envelope.getUid(),
          Envelopes.sourceTwin(envelope), error.code(), error.getMessage());
      sink.reject(envelope, error);
    } else if (reason == DropReason.NO_PUBLIC_KEY || reason == DropReason.DECRYPT_FAILED) {
      sink.unreadableAnswer(envelope, error);
    } else {
      // answers are never answered (wire.md section 5)
      LOG.debug("dropped answer {} from twin {}: {}", envelope.getUid(),
          Envelopes.sourceTwin(envelope), error.getMessage());
    }
  }

  private void drop(Envelope envelope, DropReason reason) {
    counters.drop(reason);
    LOG.debug("dropped envelope {} from twin {}: {}", envelope.getUid(),
        Envelopes.sourceTwin(envelope), reason);
  }

  /** True (and recorded) when {@code twin} was not force-refetched within the cooldown. */
  private boolean mayRefetch(long twin) {
    long now = clock.millis();
    if (lastRefetch.size() > MAX_REFETCH_ENTRIES) {
      lastRefetch.clear(); // bounded memory; at worst a few twins get one extra refetch
    }
    boolean[] allowed = new boolean[1];
    lastRefetch.compute(twin, (id, last) -> {
      if (last == null || now - last >= REFETCH_COOLDOWN_MILLIS) {
        allowed[0] = true;
        return now;
      }
      return last;
    });
    return allowed[0];
  }

  private CompletableFuture<Optional<Twin>> refetch(long twin) {
    if (twins instanceof CachingTwinDirectory caching) {
      caching.invalidate(twin);
    }
    return lookup(twin);
  }

  private CompletableFuture<Optional<Twin>> lookup(long twin) {
    try {
      return twins.get(twin);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The message of the innermost cause, for error texts sent to peers and callers. */
  static String rootMessage(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }
}
