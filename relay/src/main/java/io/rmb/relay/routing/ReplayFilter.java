package io.rmb.relay.routing;

import io.rmb.peer.envelope.Expiry;
import io.rmb.proto.Envelope;
import io.rmb.relay.session.SessionKey;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

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
 * Memory is bounded: at {@code capacity} the entry closest to its deadline is forgotten first.
 * Thread-safe.
 */
public final class ReplayFilter {
  /** Default number of envelopes remembered. */
  public static final int DEFAULT_CAPACITY = 200_000;

  /** What identifies one envelope for replay purposes. */
  public record Key(SessionKey source, SessionKey destination, String uid,
      Envelope.MessageCase kind) {}

  private record Entry(long deadline, long order, Key key) {}

  private final int capacity;
  private final Clock clock;
  private final Map<Key, Entry> seen = new HashMap<>();
  private final PriorityQueue<Entry> byDeadline = new PriorityQueue<>(
      (a, b) -> a.deadline != b.deadline ? Long.compare(a.deadline, b.deadline)
          : Long.compare(a.order, b.order));
  private long order;

  public ReplayFilter(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("replay filter capacity must be at least 1, got "
          + capacity);
    }
    this.capacity = capacity;
    this.clock = Objects.requireNonNull(clock, "clock");
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
    Key key = keyOf(envelope);
    synchronized (this) {
      purge(now);
      if (seen.containsKey(key)) {
        return false;
      }
      while (seen.size() >= capacity) {
        Entry oldest = byDeadline.poll();
        seen.remove(oldest.key, oldest);
      }
      Entry entry = new Entry(deadline, order++, key);
      seen.put(key, entry);
      byDeadline.add(entry);
      return true;
    }
  }

  /**
   * Forgets {@code envelope}: it was refused, so sending it again is a retry, not a replay.
   * The stale entry left in the deadline order is skipped when it comes up.
   */
  public synchronized void forget(Envelope envelope) {
    seen.remove(keyOf(envelope));
  }

  /** Envelopes currently remembered. */
  public synchronized int size() {
    return seen.size();
  }

  private void purge(long now) {
    Entry head;
    while ((head = byDeadline.peek()) != null && (head.deadline <= now
        || seen.get(head.key) != head)) {
      byDeadline.poll();
      seen.remove(head.key, head);
    }
  }
}
