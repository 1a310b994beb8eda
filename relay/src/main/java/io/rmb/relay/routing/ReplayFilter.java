package io.rmb.relay.routing;

import io.rmb.peer.envelope.Expiry;
import io.rmb.peer.runtime.ReplayWindow;
import io.rmb.proto.Envelope;
import io.rmb.relay.session.SessionKey;
import java.time.Clock;
import java.util.Objects;

/**
 * Remembers which envelopes this relay instance routed, each until its own deadline, so the
 * same envelope sent again while still valid (a captured envelope replayed, or a re-send of
 * one already routed) is dropped instead of being delivered twice.
 *
 * <p>An envelope is identified by (source session, destination session, uid, message kind):
 * uids are chosen by the sender and responses reuse the request's uid, so the addresses and
 * the kind are part of the key. On the WebSocket side the source is the authenticated session
 * (the router refuses any other source first), so a twin can only ever suppress its own
 * envelopes. Pings are never filtered (they are answered by the relay, not routed).
 *
 * <p>Per instance and in memory: instances behind one Redis, or a restarted relay, do not
 * share it; the destination peer's own replay check (wire.md section 7) is the last line.
 * Memory is bounded: at {@code capacity} the entry closest to its deadline is forgotten first
 * (the peer's {@link ReplayWindow}, shared with its own replay check). Thread-safe.
 */
public final class ReplayFilter {
  /** Default number of envelopes remembered. */
  public static final int DEFAULT_CAPACITY = 200_000;

  /** What identifies one envelope for replay purposes. */
  public record Key(SessionKey source, SessionKey destination, String uid,
      Envelope.MessageCase kind) {}

  private final ReplayWindow<Key> window;
  private final Clock clock;

  public ReplayFilter(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("replay filter capacity must be at least 1, got "
          + capacity);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.window = new ReplayWindow<>(capacity, clock);
  }

  /** The key of {@code envelope}. */
  public static Key keyOf(Envelope envelope) {
    return new Key(SessionKey.of(envelope.hasSource() ? envelope.getSource() : null),
        SessionKey.of(envelope.hasDestination() ? envelope.getDestination() : null),
        envelope.getUid(), envelope.getMessageCase());
  }

  /**
   * Records {@code envelope} and returns true the first time it is seen within its lifetime;
   * false for a replay. Pings and envelopes already past their deadline are never recorded
   * (the first are not routed, the second are refused as expired elsewhere).
   */
  public boolean firstSeen(Envelope envelope) {
    if (envelope.hasPing()) {
      return true;
    }
    long deadline = Expiry.deadline(envelope.getTimestamp(), envelope.getExpiration());
    long now = Expiry.now(clock);
    if (deadline <= now) {
      return true;
    }
    return window.firstSeen(keyOf(envelope), deadline);
  }

  /**
   * Forgets {@code envelope}: it was refused, so sending it again is a retry, not a replay.
   */
  public void forget(Envelope envelope) {
    window.forget(keyOf(envelope));
  }

  /** Envelopes currently remembered. */
  public int size() {
    return window.size();
  }
}
