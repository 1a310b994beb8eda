package io.rmb.relay.routing;

import io.rmb.relay.queue.OfflineQueue;
import io.rmb.relay.session.Session;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.session.SessionRegistry;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Delivers envelopes to sessions of this relay: live when the session is connected, through
 * the {@link OfflineQueue} when it is not.
 *
 * <p>The one subtle rule: a session that connects drains the queue once, so an envelope
 * queued just after that drain looked would wait for the next connection. Therefore every
 * enqueue looks at the registry again once the queue has the envelope, and asks a session that
 * connected meanwhile to drain again. Either the drain sees the envelope or the second look
 * sees the session.
 */
public final class Switchboard {
  private final SessionRegistry registry;
  private final OfflineQueue queue;

  public Switchboard(SessionRegistry registry, OfflineQueue queue) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.queue = Objects.requireNonNull(queue, "queue");
  }

  /** The sessions this switchboard delivers to. */
  public SessionRegistry registry() {
    return registry;
  }

  /** The offline queue behind it. */
  public OfflineQueue queue() {
    return queue;
  }

  /**
   * Registers {@code session}, closes the one it replaces and starts draining its queue.
   *
   * @return the replaced session, already asked to close
   */
  public Optional<Session> register(Session session) {
    Optional<Session> replaced = registry.register(session);
    replaced.ifPresent(old -> old.close(Session.CloseCause.REPLACED));
    session.drain();
    return replaced;
  }

  /** Unregisters {@code session} if it is still the registered one (see {@link SessionRegistry}). */
  public boolean unregister(Session session) {
    return registry.unregister(session);
  }

  /** True when an open session for {@code key} is connected to this relay. */
  public boolean isLocal(SessionKey key) {
    return registry.open(key).isPresent();
  }

  /**
   * Hands {@code envelope} to the open session for {@code key}, or queues it.
   *
   * @return {@link RouteOutcome#DELIVERED} or {@link RouteOutcome#QUEUED}; fails when the queue
   *     cannot store it
   */
  public CompletionStage<RouteOutcome> send(SessionKey key, byte[] envelope, long deadline) {
    Optional<Session> session = registry.open(key);
    if (session.isPresent()) {
      session.get().deliver(envelope, deadline);
      return CompletableFuture.completedFuture(RouteOutcome.DELIVERED);
    }
    return enqueue(key, envelope, deadline).thenApply(ignored -> RouteOutcome.QUEUED);
  }

  /**
   * Queues {@code envelope} for {@code key} even if a session is registered (a closing session
   * gives back what it could not write), then wakes a session that connected meanwhile.
   */
  public CompletionStage<Void> enqueue(SessionKey key, byte[] envelope, long deadline) {
    CompletionStage<Void> stored;
    try {
      stored = queue.offer(key, envelope, deadline);
    } catch (RuntimeException e) {
      stored = CompletableFuture.failedFuture(e);
    }
    return stored.thenRun(() -> registry.open(key).ifPresent(Session::drain));
  }
}
