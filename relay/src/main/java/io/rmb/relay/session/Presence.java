package io.rmb.relay.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Which sessions are connected to any instance of a relay that several processes share, and a
 * way to tell the instance holding a session that its offline queue has something new.
 *
 * <p>A single relay needs none of it: {@link #local()} knows nothing and wakes nobody (the
 * {@link SessionRegistry} is the whole truth). With a shared queue (Redis) every instance
 * announces its sessions with an expiry it keeps refreshing, so a crashed instance's sessions
 * vanish by themselves; a queued envelope for a session connected elsewhere is followed by a
 * wake-up that makes that instance drain.
 *
 * <p>All methods are thread-safe and return at once.
 */
public interface Presence extends AutoCloseable {
  /** Starts delivering wake-ups for sessions of this instance to {@code onWake}. */
  void start(Consumer<SessionKey> onWake);

  /** {@code key} connected to this instance. */
  void connected(SessionKey key);

  /** {@code key} disconnected from this instance (a no-op if another instance took it). */
  void disconnected(SessionKey key);

  /** True when {@code key} is announced by some instance (this one included) and not expired. */
  CompletionStage<Boolean> isConnectedElsewhere(SessionKey key);

  /** Asks whichever instance holds {@code key} to drain its queue. */
  void wake(SessionKey key);

  @Override
  default void close() {}

  /** The presence of a relay that runs alone. */
  static Presence local() {
    return Local.INSTANCE;
  }

  /** Knows no other instance. */
  enum Local implements Presence {
    INSTANCE;

    @Override
    public void start(Consumer<SessionKey> onWake) {}

    @Override
    public void connected(SessionKey key) {}

    @Override
    public void disconnected(SessionKey key) {}

    @Override
    public CompletionStage<Boolean> isConnectedElsewhere(SessionKey key) {
      return CompletableFuture.completedFuture(false);
    }

    @Override
    public void wake(SessionKey key) {}
  }
}
