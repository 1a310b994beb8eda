package io.rmb.streams.topology;

import io.rmb.streams.record.Answer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers a {@link RequestProcessor} remembers outside its store, both in memory and
 * bounded: answers replayed before their request after a start ({@link #holdEarly}), and the
 * keys of answers joined in-process whose answers-topic copy has not been read yet
 * ({@link #delivered}). A crash loses both, which is safe: the records are replayed again.
 */
final class HeldAnswers {
  static final int MAX_EARLY_ANSWERS = 100_000;
  static final int MAX_DELIVERED_LOCALLY = 100_000;

  private final Map<String, List<Answer>> early = new HashMap<>();
  private int earlyCount;
  /** "uid|twin", oldest first: the oldest is forgotten, since a topic copy may never come. */
  private final Map<String, Boolean> delivered = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > MAX_DELIVERED_LOCALLY;
    }
  };

  /** Keeps an answer whose request is not known yet; false when the bound is reached. */
  boolean holdEarly(String uid, Answer answer) {
    if (earlyCount >= MAX_EARLY_ANSWERS) {
      return false;
    }
    early.computeIfAbsent(uid, k -> new ArrayList<>()).add(answer);
    earlyCount++;
    return true;
  }

  /** The answers held for {@code uid}, removed; empty when none. */
  List<Answer> takeEarly(String uid) {
    List<Answer> answers = early.remove(uid);
    if (answers == null) {
      return List.of();
    }
    earlyCount -= answers.size();
    return answers;
  }

  /** Forgets every held early answer; returns how many there were. */
  int dropEarly() {
    int dropped = earlyCount;
    early.clear();
    earlyCount = 0;
    return dropped;
  }

  /** Records that the answer of {@code twin} to {@code uid} was joined in-process. */
  void delivered(String uid, long twin) {
    delivered.put(uid + "|" + twin, Boolean.TRUE);
  }

  /** Whether this answer was joined in-process (its topic copy is then a duplicate); forgets it. */
  boolean takeDelivered(String uid, long twin) {
    return !delivered.isEmpty() && delivered.remove(uid + "|" + twin) != null;
  }
}
