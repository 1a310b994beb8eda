package io.rmb.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the fault tests saw come back: every outcome by (request ref, destination twin), so
 * that missing ones, duplicates (same uid and status: tolerated and counted) and conflicts
 * (a second outcome with another uid or status: a bug) can be told apart. Thread-safe: a
 * collector thread adds while the test thread reads.
 */
final class OutcomeTally {
  /** One outcome as it arrived; {@code uid} is empty where the path carries none (Redis). */
  record Seen(String uid, String status, long atNanos) {}

  private final Map<String, List<Seen>> byKey = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong responses = new AtomicLong();
  private volatile long lastResponseNanos;

  static String key(String ref, String twin) {
    return ref + "/" + twin;
  }

  void add(String ref, String twin, String uid, String status) {
    long now = System.nanoTime();
    byKey.computeIfAbsent(key(ref, twin), k -> Collections.synchronizedList(new ArrayList<>()))
        .add(new Seen(uid, status, now));
    total.incrementAndGet();
    if ("response".equals(status)) {
      responses.incrementAndGet();
      lastResponseNanos = now;
    }
  }

  /** Destinations that got at least one outcome. */
  int distinct() {
    return byKey.size();
  }

  long total() {
    return total.get();
  }

  long responses() {
    return responses.get();
  }

  /** {@link System#nanoTime()} of the latest response (0 before the first). */
  long lastResponseNanos() {
    return lastResponseNanos;
  }

  /** Outcomes beyond the first per destination. */
  long duplicates() {
    return total.get() - byKey.size();
  }

  boolean has(String ref, String twin) {
    return byKey.containsKey(key(ref, twin));
  }

  /** Destinations whose outcomes disagree (uid or status), with what they got. */
  List<String> conflicts() {
    return matching(false);
  }

  /** Destinations whose outcomes carry different uids (a consumer could not drop one). */
  List<String> uidConflicts() {
    return matching(true);
  }

  private List<String> matching(boolean uidOnly) {
    List<String> conflicts = new ArrayList<>();
    byKey.forEach((key, seen) -> {
      synchronized (seen) {
        Seen first = seen.get(0);
        if (seen.stream().anyMatch(s -> !s.uid().equals(first.uid())
            || !uidOnly && !s.status().equals(first.status()))) {
          conflicts.add(key + " " + seen);
        }
      }
    });
    return conflicts;
  }

  /** First outcome per destination, counted by status. */
  Map<String, Long> firstByStatus() {
    Map<String, Long> counts = new TreeMap<>();
    byKey.values().forEach(seen -> counts.merge(seen.get(0).status(), 1L, Long::sum));
    return counts;
  }
}
