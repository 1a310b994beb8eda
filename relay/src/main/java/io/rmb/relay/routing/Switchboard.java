package io.rmb.relay.routing;

import io.rmb.relay.queue.OfflineQueue;
import io.rmb.relay.session.Presence;
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
 *
 * <p>With several instances on one shared queue, the {@link Presence} announces this instance's
 * sessions, and an envelope queued for a session that is not here is followed by a wake-up for
 * the instance that may hold it.
 */
public final class Switchboard {
  private final SessionRegistry registry;
  private final OfflineQueue queue;
  private final Presence presence;

  /** A switchboard for a relay that runs alone. */
  public Switchboard(SessionRegistry registry, OfflineQueue queue) {
    this(registry, queue, Presence.local());
  }

  public Switchboard(SessionRegistry registry, OfflineQueue queue, Presence presence) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.presence = Objects.requireNonNull(presence, "presence");
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
    presence.connected(session.key());
    session.drain();
    return replaced;
  }

  /** Unregisters {@code session} if it is still the registered one (see {@link SessionRegistry}). */
  public boolean unregister(Session session) {
    boolean removed = registry.unregister(session);
    if (removed) {
      presence.disconnected(session.key());
    }
    return removed;
  }

  /**
   * True when {@code key} is connected here or, as far as the shared presence knows, to another
   * instance of this relay.
   */
  public CompletionStage<Boolean> isConnectedAnywhere(SessionKey key) {
    if (isLocal(key)) {
      return CompletableFuture.completedFuture(true);
    }
    return presence.isConnectedElsewhere(key);
  }

  /** Drains the session for {@code key} if it is connected here (a wake-up from elsewhere). */
  public void wakeLocal(SessionKey key) {
    registry.open(key).ifPresent(Session::drain);
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
    return stored.thenRun(() -> {
      Optional<Session> here = registry.open(key);
      if (here.isPresent()) {
        here.get().drain();
      } else {
        presence.wake(key);
      }
    });
  }
}
