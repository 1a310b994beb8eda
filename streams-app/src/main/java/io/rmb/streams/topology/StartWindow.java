package io.rmb.streams.topology;

import io.rmb.streams.record.Answer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The replay window after a task starts, for {@link RequestProcessor}: under at-least-once a
 * crash replays the records since the last commit, and the store may lag them (cached writes
 * lost), so for a retention of three commit intervals (at least a minute) after the start a
 * record written before it may be one processed already. Within the window restored
 * requests (in the store at the start, or written before it and read again) do not time out
 * and answers without a request are held; done markers are kept that long past their
 * deadline. Errors for restored requests are deferred until the window closes ({@link
 * #deferError}). Not thread-safe: one per task, used by its stream thread.
 */
final class StartWindow {
  /** Shortest retention: how long a done marker outlives its deadline and a task start. */
  static final long MIN_RETENTION_MILLIS = 60_000;
  /** Most errors deferred at once; beyond it they are joined at once, as before. */
  static final int MAX_DEFERRED_ERRORS = 100_000;
  /** Kafka Streams' commit interval under at-least-once. */
  private static final long DEFAULT_COMMIT_INTERVAL_MILLIS = 30_000;

  private final long startedAtMillis;
  private final long retentionMillis;
  /** Uids of possible replays; none times out before the window closes, then cleared. */
  private final Set<String> restored = new HashSet<>();
  /** Errors for restored requests, by uid, in arrival order. */
  private final Map<String, List<Answer>> deferred = new LinkedHashMap<>();
  private int deferredCount;

  /** A window from {@code startedAtMillis}, sized by the app's commit interval. */
  StartWindow(long startedAtMillis, Map<String, Object> appConfigs) {
    this.startedAtMillis = startedAtMillis;
    this.retentionMillis = Math.max(MIN_RETENTION_MILLIS,
        3 * commitIntervalMillis(appConfigs));
  }

  /** True while records processed before the start may still be replayed. */
  boolean open(long now) {
    return now < startedAtMillis + retentionMillis;
  }

  /**
   * A record written before the start and read while the window is open: it may have been
   * processed (and answered) before a crash whose store writes were lost.
   */
  boolean mayBeReplay(long recordTimestamp, long now) {
    return recordTimestamp < startedAtMillis && open(now);
  }

  /** Marks {@code uid} as a possible replay: its timeout waits until the window closes. */
  void restore(String uid) {
    restored.add(uid);
  }

  boolean restored(String uid) {
    return restored.contains(uid);
  }

  /**
   * Keeps an error for a restored request until the window closes, instead of joining it now:
   * the run before the crash may have written another outcome for that destination (a
   * response whose answer is still being replayed), and an error produced by this run (its
   * resend not taken by a relay before the deadline, a relay's error for the resend) must not
   * win that race (KafkaChaosIT at full size: 14 destinations with a response, then a "not
   * sent" error from the restarted gateway). False when it is not deferred: join it now.
   */
  boolean deferError(String uid, Answer answer, long now) {
    if (answer.status() != Answer.Status.ERROR || !restored.contains(uid) || !open(now)
        || deferredCount >= MAX_DEFERRED_ERRORS) {
      return false;
    }
    deferred.computeIfAbsent(uid, k -> new ArrayList<>()).add(answer);
    deferredCount++;
    return true;
  }

  /**
   * Once the window has closed: forgets the possible replays and returns the deferred errors
   * (removed), to be joined before any timeout; null while the window is open.
   */
  Map<String, List<Answer>> close(long now) {
    if (open(now)) {
      return null;
    }
    restored.clear();
    Map<String, List<Answer>> errors = new LinkedHashMap<>(deferred);
    deferred.clear();
    deferredCount = 0;
    return errors;
  }

  /** When a done marker for a request with {@code deadlineMillis} may be purged. */
  long purgeAt(long deadlineMillis, long now) {
    return Math.max(deadlineMillis, now) + retentionMillis;
  }

  static long commitIntervalMillis(Map<String, Object> configs) {
    Object value = configs.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    if (value instanceof Number number) {
      return number.longValue();
    }
    if (value instanceof String text && !text.isBlank()) {
      return Long.parseLong(text.trim());
    }
    return DEFAULT_COMMIT_INTERVAL_MILLIS;
  }
}
