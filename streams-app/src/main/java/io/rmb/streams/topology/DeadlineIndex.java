package io.rmb.streams.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * When the requests processor next looks at a stored request: its deadline while it has
 * destinations open, its purge time once it is a done marker. Keys are a zero-padded time and
 * the uid, so text order is time order.
 *
 * <p>The index is derived from the in-flight store, so it is a plain map owned by one processor
 * instance, not a state store: no changelog (two changelog records fewer per request), and
 * {@link #rebuild} recreates it from the store whenever the task starts. Not thread-safe: it
 * is used on its stream thread only.
 */
final class DeadlineIndex {
  /** Width of the zero-padded time in keys. */
  private static final int DIGITS = 15;

  private final NavigableMap<String, String> index = new TreeMap<>();

  /**
   * Replaces the index by every request in {@code inFlight}: open ones at their deadline,
   * done markers at {@code purgeAt}.
   */
  void rebuild(KeyValueStore<String, InFlight> inFlight, ToLongFunction<InFlight> purgeAt) {
    index.clear();
    try (KeyValueIterator<String, InFlight> it = inFlight.all()) {
      while (it.hasNext()) {
        InFlight entry = it.next().value;
        if (entry.remaining().isEmpty()) {
          markerPurgedAt(entry, purgeAt.applyAsLong(entry));
        } else {
          add(entry);
        }
      }
    }
  }

  /** Looks at {@code entry} at its deadline. */
  void add(InFlight entry) {
    index.put(key(entry.deadlineMillis(), entry.uid()), entry.uid());
  }

  /** No longer looks at {@code entry} at its deadline. */
  void remove(InFlight entry) {
    index.remove(key(entry.deadlineMillis(), entry.uid()));
  }

  /** Looks at the done marker {@code marker} at {@code purgeAt}. */
  void markerPurgedAt(InFlight marker, long purgeAt) {
    index.put(key(purgeAt, marker.uid()), marker.uid());
  }

  /** Every entry due at {@code now} (index key -> uid, in time order), a copy. */
  List<Map.Entry<String, String>> due(long now) {
    // '~' sorts after '|', so every key of the millisecond now is included
    return new ArrayList<>(index.headMap(pad(now) + "~", false).entrySet());
  }

  /** Removes the entry with index key {@code key} (from {@link #due}). */
  void remove(String key) {
    index.remove(key);
  }

  static String key(long millis, String uid) {
    return pad(millis) + "|" + uid;
  }

  private static String pad(long millis) {
    String digits = Long.toString(Math.max(0, millis));
    return "0".repeat(Math.max(0, DIGITS - digits.length())) + digits;
  }
}
