package io.rmb.peer.runtime;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A bounded set of keys, each remembered until its own deadline: the seen-set behind replay
 * checks (the peer's {@code ReplayGuard}, the relay's {@code ReplayFilter}).
 *
 * <p>Semantics, with {@code now} the injected clock's current unix second:
 * <ul>
 *   <li>{@link #firstSeen} returns true and records the key when it is not remembered, false
 *       when it is (the key's first deadline is kept, a replay does not extend it);</li>
 *   <li>a key is remembered while {@code now < deadline}; at its deadline it is forgotten (an
 *       envelope's own TTL check rejects it from then on), and a key whose deadline is already
 *       reached is not recorded at all (true, size unchanged);</li>
 *   <li>at {@code capacity} keys, recording one more first forgets the key closest to its
 *       deadline (the earliest recorded among equal deadlines);</li>
 *   <li>{@link #forget} removes a key at once, so the next {@link #firstSeen} is true again.</li>
 * </ul>
 *
 * <p>Thread-safe (one lock); every call costs O(log n) plus the expired entries it purges.
 *
 * @param <K> the key; needs value equality ({@code equals}/{@code hashCode}), e.g. a record
 */
public final class ReplayWindow<K> {
  private record Entry<K>(long deadline, long order, K key) {}

  private final int capacity;
  private final Clock clock;
  private final Map<K, Entry<K>> seen = new HashMap<>();
  private final PriorityQueue<Entry<K>> byDeadline = new PriorityQueue<>(
      (a, b) -> a.deadline != b.deadline ? Long.compare(a.deadline, b.deadline)
          : Long.compare(a.order, b.order));
  private long order;

  /**
   * @param capacity most keys remembered at once, at least 1
   * @param clock source of {@code now} (whole unix seconds, rounded down)
   * @throws IllegalArgumentException for a capacity below 1
   */
  public ReplayWindow(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("replay window capacity must be at least 1, got "
          + capacity);
    }
    this.capacity = capacity;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Records {@code key} until {@code deadline} and returns true, or returns false when it is
   * already remembered (a replay).
   *
   * @param deadline unix seconds; the key is forgotten once the clock reaches it
   */
  public boolean firstSeen(K key, long deadline) {
    Objects.requireNonNull(key, "key");
    long now = Math.floorDiv(clock.millis(), 1000L);
    synchronized (this) {
      purge(now);
      if (seen.containsKey(key)) {
        return false;
      }
      if (deadline <= now) {
        return true; // nothing to remember: from now on the TTL check refuses it anyway
      }
      while (seen.size() >= capacity) {
        purgeHead();
      }
      Entry<K> entry = new Entry<>(deadline, order++, key);
      seen.put(key, entry);
      byDeadline.add(entry);
      return true;
    }
  }

  /** Forgets {@code key} (no-op when not remembered); the next {@link #firstSeen} is true. */
  public synchronized void forget(K key) {
    // its queue entry stays until it comes up and is then skipped (seen no longer maps to it)
    seen.remove(key);
  }

  /** Keys remembered now (expired ones are dropped on the next call, not counted after it). */
  public synchronized int size() {
    return seen.size();
  }

  private void purge(long now) {
    Entry<K> head;
    while ((head = byDeadline.peek()) != null
        && (head.deadline <= now || seen.get(head.key) != head)) {
      purgeHead();
    }
  }

  /** Drops the queue head; with it the key, unless the key was forgotten (and maybe re-added). */
  private void purgeHead() {
    Entry<K> head = byDeadline.poll();
    seen.remove(head.key, head);
  }
}
