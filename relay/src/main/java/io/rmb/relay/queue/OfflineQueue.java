package io.rmb.relay.queue;

import io.rmb.relay.session.SessionKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Envelopes kept per session while it is offline, delivered in order when it connects.
 *
 * <p>Every method is asynchronous and must not block the calling thread (the relay calls them
 * from event loops): the in-memory implementation completes at once, a Redis Streams one
 * completes when Redis answers. Delivery is read-then-acknowledge: {@link #peek} returns the
 * oldest entries without removing them, the session writes them and then
 * {@link #acknowledge}s them, so entries survive a connection that drops mid-drain (the same
 * at-least-once window as rmb-rs, which deletes stream entries after writing them).
 *
 * <p>Contract, whatever the backend: entries of one key come back in offer order; an entry
 * past its deadline is never returned (it is dropped and counted instead); each key is bounded
 * and expires some time after its last write.
 */
public interface OfflineQueue extends AutoCloseable {
  /**
   * Appends an envelope for {@code key}.
   *
   * @param envelope the exact bytes to deliver later; the queue keeps the array, so the caller
   *     must not modify it
   * @param deadline unix seconds after which the envelope is dropped instead of delivered
   * @return completes when the envelope is stored (or dropped because it already expired);
   *     fails when the backend cannot store it
   */
  CompletionStage<Void> offer(SessionKey key, byte[] envelope, long deadline);

  /**
   * Up to {@code max} of the oldest live entries for {@code key}, oldest first, without removing
   * them. Expired entries met on the way are dropped and counted.
   */
  CompletionStage<List<QueuedEnvelope>> peek(SessionKey key, int max);

  /**
   * Removes entries a session has written, given as returned by {@link #peek} (entries already
   * gone, for example trimmed meanwhile, are ignored).
   */
  CompletionStage<Void> acknowledge(SessionKey key, List<QueuedEnvelope> delivered);

  /**
   * Drops the queues idle longer than their expiry. The relay calls this periodically; a
   * backend that expires keys by itself (Redis {@code EXPIRE}) need not do anything.
   */
  default void evictIdle() {}

  /**
   * The sessions with entries queued now (possibly expired ones), in no particular order: the
   * relay's re-route sweep looks at each (see {@code io.rmb.relay.routing.QueueRerouter}). A
   * backend that cannot list them answers an empty list, and its sessions are never re-routed.
   */
  default CompletionStage<List<SessionKey>> queuedSessions() {
    return CompletableFuture.completedFuture(List.of());
  }

  /**
   * Tries to take the right to move {@code key}'s entries elsewhere for up to {@code lease}:
   * with several relay instances on one shared queue only the holder moves them, so each entry
   * is moved by one instance. A queue private to one process has nobody to share with and
   * always grants it (the relay's sweep is the only mover). Release with {@link #release}.
   *
   * @return true when this caller holds the lease now
   */
  default CompletionStage<Boolean> lease(SessionKey key, Duration lease) {
    return CompletableFuture.completedFuture(true);
  }

  /** Gives back a lease {@link #lease} granted (a no-op when it expired meanwhile). */
  default CompletionStage<Void> release(SessionKey key) {
    return CompletableFuture.completedFuture(null);
  }

  /** A snapshot of this queue's gauges and counters. */
  QueueStats stats();

  /** Releases the backend's resources; the relay closes only a queue it created itself. */
  @Override
  default void close() {}
}
