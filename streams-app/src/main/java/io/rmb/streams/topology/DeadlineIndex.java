package io.rmb.streams.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * When the requests processor next looks at a stored request: its deadline while it has
 * destinations open, its purge time once it is a done marker. Ordered by time, then uid.
 *
 * <p>The index is derived from the in-flight store, so it is a plain set owned by one processor
 * instance, not a state store: no changelog (two changelog records fewer per request), and
 * {@link #rebuild} recreates it from the store whenever the task starts. Not thread-safe: it
 * is used on its stream thread only.
 */
final class DeadlineIndex {
  /** One look at the request {@code uid} at {@code atMillis}. */
  record Slot(long atMillis, String uid) {}

  private static final Comparator<Slot> ORDER =
      Comparator.comparingLong(Slot::atMillis).thenComparing(Slot::uid);

  private final NavigableSet<Slot> index = new TreeSet<>(ORDER);

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
    index.add(new Slot(entry.deadlineMillis(), entry.uid()));
  }

  /** No longer looks at {@code entry} at its deadline. */
  void remove(InFlight entry) {
    index.remove(new Slot(entry.deadlineMillis(), entry.uid()));
  }

  /** Looks at the done marker {@code marker} at {@code purgeAt}. */
  void markerPurgedAt(InFlight marker, long purgeAt) {
    index.add(new Slot(purgeAt, marker.uid()));
  }

  /** Every slot due at {@code now} (at or before it), in time order, a copy. */
  List<Slot> due(long now) {
    List<Slot> due = new ArrayList<>();
    for (Slot slot : index) {
      if (slot.atMillis() > now) {
        break;
      }
      due.add(slot);
    }
    return due;
  }

  /** Removes {@code slot} (from {@link #due}). */
  void remove(Slot slot) {
    index.remove(slot);
  }
}
