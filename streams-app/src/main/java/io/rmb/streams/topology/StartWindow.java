package io.rmb.streams.topology;

import java.util.HashSet;
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
 * deadline. Not thread-safe: one per task, used by its stream thread.
 */
final class StartWindow {
  /** Shortest retention: how long a done marker outlives its deadline and a task start. */
  static final long MIN_RETENTION_MILLIS = 60_000;
  /** Kafka Streams' commit interval under at-least-once. */
  private static final long DEFAULT_COMMIT_INTERVAL_MILLIS = 30_000;

  private final long startedAtMillis;
  private final long retentionMillis;
  /** Uids of possible replays; none times out before the window closes, then cleared. */
  private final Set<String> restored = new HashSet<>();

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

  /** Forgets the possible replays once the window has closed; returns {@link #open}. */
  boolean check(long now) {
    if (open(now)) {
      return true;
    }
    restored.clear();
    return false;
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
