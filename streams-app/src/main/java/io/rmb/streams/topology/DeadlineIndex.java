package io.rmb.streams.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * When the requests processor next looks at a stored request: its deadline while it has
 * destinations open, its purge time once it is a done marker. Keys are a zero-padded time and
 * the uid, so text order is time order.
 *
 * <p>The index is derived from the in-flight store and kept in memory without a changelog
 * (two changelog records fewer per request); {@link #rebuild} recreates it from the store
 * whenever a task starts.
 */
final class DeadlineIndex {
  /** Width of the zero-padded time in keys. */
  private static final int DIGITS = 15;

  private final KeyValueStore<String, String> store;

  DeadlineIndex(KeyValueStore<String, String> store) {
    this.store = store;
  }

  /**
   * Empties the index (a revived task's previous instance may have left entries) and adds
   * every stored request: open ones at their deadline, done markers at {@code purgeAt}.
   */
  void rebuild(KeyValueStore<String, InFlight> inFlight,
      ToLongFunction<InFlight> purgeAt) {
    List<String> stale = new ArrayList<>();
    try (KeyValueIterator<String, String> it = store.all()) {
      it.forEachRemaining(kv -> stale.add(kv.key));
    }
    stale.forEach(store::delete);
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
    store.put(key(entry.deadlineMillis(), entry.uid()), entry.uid());
  }

  /** No longer looks at {@code entry} at its deadline. */
  void remove(InFlight entry) {
    store.delete(key(entry.deadlineMillis(), entry.uid()));
  }

  /** Looks at the done marker {@code marker} at {@code purgeAt}. */
  void markerPurgedAt(InFlight marker, long purgeAt) {
    store.put(key(purgeAt, marker.uid()), marker.uid());
  }

  /** Every entry due at {@code now}: index key -> uid, in time order. */
  List<KeyValue<String, String>> due(long now) {
    List<KeyValue<String, String>> due = new ArrayList<>();
    try (KeyValueIterator<String, String> it = store.range(pad(0), pad(now) + "~")) {
      it.forEachRemaining(due::add);
    }
    return due;
  }

  /** Removes the entry with index key {@code key} (from {@link #due}). */
  void remove(String key) {
    store.delete(key);
  }

  static String key(long millis, String uid) {
    return pad(millis) + "|" + uid;
  }

  private static String pad(long millis) {
    String digits = Long.toString(Math.max(0, millis));
    return "0".repeat(Math.max(0, DIGITS - digits.length())) + digits;
  }
}
