package io.rmb.relay.session;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions connected to this relay, at most one per {@link SessionKey}.
 *
 * <p>A newer session replaces the older one for the same key. Unregistering removes a session
 * only while it is still the registered one ({@link ConcurrentHashMap#remove(Object, Object)}):
 * rmb-rs removes by key, so an old connection that finishes closing after its replacement
 * registered takes the new registration down with it (wire.md section 7). Here the late
 * unregister of the old session is a no-op.
 *
 * <p>Thread-safe and lock-free for readers.
 */
public final class SessionRegistry {
  private final ConcurrentHashMap<SessionKey, Session> sessions = new ConcurrentHashMap<>();

  /**
   * Registers {@code session} under its key.
   *
   * @return the session it replaced, if any; the caller closes it
   */
  public Optional<Session> register(Session session) {
    Objects.requireNonNull(session, "session");
    Session previous = sessions.put(session.key(), session);
    return previous == session ? Optional.empty() : Optional.ofNullable(previous);
  }

  /**
   * Removes {@code session} if, and only if, it is still the one registered under its key.
   *
   * @return true when it was removed
   */
  public boolean unregister(Session session) {
    return sessions.remove(session.key(), session);
  }

  /** The session registered under {@code key}, if any. */
  public Optional<Session> get(SessionKey key) {
    return Optional.ofNullable(sessions.get(key));
  }

  /** The session registered under {@code key} if it is still open. */
  public Optional<Session> open(SessionKey key) {
    Session session = sessions.get(key);
    return session != null && session.isOpen() ? Optional.of(session) : Optional.empty();
  }

  /** Number of registered sessions. */
  public int size() {
    return sessions.size();
  }

  /** A snapshot of the registered sessions. */
  public Collection<Session> sessions() {
    return List.copyOf(sessions.values());
  }
}
