package io.rmb.relay.testing;

import io.rmb.relay.queue.OfflineQueue;
import io.rmb.relay.queue.QueueStats;
import io.rmb.relay.queue.QueuedEnvelope;
import io.rmb.relay.session.SessionKey;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Wraps a queue and, while {@link #holdPeeks()} is on, completes peeks only when the test
 * {@link #releasePeek() releases} them, with what the queue held when the peek was made: a
 * remote queue (Redis) as seen from a session.
 */
public final class ControlledQueue implements OfflineQueue {
  private final OfflineQueue delegate;
  private final ArrayDeque<Runnable> heldPeeks = new ArrayDeque<>();
  private boolean hold;

  public ControlledQueue(OfflineQueue delegate) {
    this.delegate = delegate;
  }

  public synchronized void holdPeeks() {
    hold = true;
  }

  /** Completes the oldest held peek; returns false when none is held. */
  public boolean releasePeek() {
    Runnable next;
    synchronized (this) {
      next = heldPeeks.pollFirst();
    }
    if (next == null) {
      return false;
    }
    next.run();
    return true;
  }

  public synchronized int heldPeeks() {
    return heldPeeks.size();
  }

  @Override
  public CompletionStage<Void> offer(SessionKey key, byte[] envelope, long deadline) {
    return delegate.offer(key, envelope, deadline);
  }

  @Override
  public CompletionStage<List<QueuedEnvelope>> peek(SessionKey key, int max) {
    List<QueuedEnvelope> now = delegate.peek(key, max).toCompletableFuture().join();
    synchronized (this) {
      if (hold) {
        CompletableFuture<List<QueuedEnvelope>> later = new CompletableFuture<>();
        heldPeeks.addLast(() -> later.complete(now));
        return later;
      }
    }
    return CompletableFuture.completedFuture(now);
  }

  @Override
  public CompletionStage<Void> acknowledge(SessionKey key, List<QueuedEnvelope> delivered) {
    return delegate.acknowledge(key, delivered);
  }

  @Override
  public QueueStats stats() {
    return delegate.stats();
  }
}
