package io.rmb.relay.session;

/**
 * One connected session as the router sees it: something that takes envelope bytes for a
 * {@link SessionKey}.
 *
 * <p>All methods are thread-safe and return at once; the work happens on the session's own
 * thread (for a WebSocket session, its channel's event loop). An envelope handed to a session
 * that is closing is not lost: the session gives it back to the offline queue.
 */
public interface Session {
  /** The key this session is registered under. */
  SessionKey key();

  /** False once the session was closed (or replaced) and takes no more live traffic. */
  boolean isOpen();

  /**
   * Sends {@code envelope} (the exact bytes to put on the wire) to the peer, after anything the
   * session is still draining from the offline queue.
   *
   * @param deadline the envelope's deadline in unix seconds (see
   *     {@link io.rmb.peer.envelope.Expiry#deadline(long, long)})
   */
  void deliver(byte[] envelope, long deadline);

  /**
   * Tells the session that the offline queue may hold envelopes for it: it delivers them, in
   * order, before any live envelope that arrives meanwhile.
   */
  void drain();

  /** Closes the session (for a WebSocket session, with a close frame) for {@code cause}. */
  void close(CloseCause cause);

  /** Why the relay closes a session. */
  enum CloseCause {
    /** A newer connection registered the same key. */
    REPLACED("replaced by a newer connection"),
    /** The relay is shutting down. */
    SHUTDOWN("relay is shutting down");

    private final String reason;

    CloseCause(String reason) {
      this.reason = reason;
    }

    /** Human-readable reason, sent in the close frame. */
    public String reason() {
      return reason;
    }
  }
}
