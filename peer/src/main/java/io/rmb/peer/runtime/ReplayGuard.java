package io.rmb.peer.runtime;

import java.time.Clock;

/**
 * Remembers which (sender twin, uid, request or answer) envelopes were accepted, each until
 * its own deadline, so a replayed envelope is dropped instead of being handled twice. After
 * the deadline the TTL check rejects the replay anyway, so nothing older needs remembering.
 *
 * <p>Memory is bounded: when {@code capacity} envelopes are remembered, the one closest to its
 * deadline is forgotten first (see {@link ReplayWindow}). Only envelopes whose signature
 * verified are recorded, so a forger cannot poison the table. Thread-safe.
 */
final class ReplayGuard {
  private record Key(long twin, String uid, boolean request) {}

  private final ReplayWindow<Key> window;

  ReplayGuard(int capacity, Clock clock) {
    this.window = new ReplayWindow<>(capacity, clock);
  }

  /**
   * Records the envelope and returns true the first time it is seen within its lifetime; false
   * for a replay.
   *
   * @param deadline the envelope's deadline, unix seconds
   */
  boolean firstSeen(long twin, String uid, boolean request, long deadline) {
    return window.firstSeen(new Key(twin, uid, request), deadline);
  }

  /** Envelopes currently remembered. */
  int size() {
    return window.size();
  }
}
