package io.rmb.peer.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Remembers which (sender twin, uid, request or answer) envelopes were accepted, each until
 * its own deadline, so a replayed envelope is dropped instead of being handled twice. After
 * the deadline the TTL check rejects the replay anyway, so nothing older needs remembering.
 *
 * <p>Memory is bounded: when {@code capacity} envelopes are remembered, the one closest to its
 * deadline is forgotten first. Only envelopes whose signature verified are recorded, so a
 * forger cannot poison the table. Thread-safe.
 */
final class ReplayGuard {
  private record Key(long twin, String uid, boolean request) {}

  private record Entry(long deadline, long order, Key key) {}

  private final int capacity;
  private final Map<Key, Entry> seen = new HashMap<>();
  private final PriorityQueue<Entry> byDeadline = new PriorityQueue<>(
      (a, b) -> a.deadline != b.deadline ? Long.compare(a.deadline, b.deadline)
          : Long.compare(a.order, b.order));
  private long order;

  ReplayGuard(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("replay cache capacity must be at least 1, got "
          + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Records the envelope and returns true the first time it is seen within its lifetime; false
   * for a replay.
   *
   * @param deadline the envelope's deadline, unix seconds
   * @param now the current time, unix seconds
   */
  synchronized boolean firstSeen(long twin, String uid, boolean request, long deadline,
      long now) {
    purge(now);
    Key key = new Key(twin, uid, request);
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

  /** Envelopes currently remembered. */
  synchronized int size() {
    return seen.size();
  }

  private void purge(long now) {
    Entry head;
    while ((head = byDeadline.peek()) != null && head.deadline <= now) {
      byDeadline.poll();
      seen.remove(head.key, head);
    }
  }
}
