package io.rmb.relay.federation;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Orders a twin's relays by their recent failures, fewest first (rmb-rs's ranker): a relay that
 * failed within the period is tried after the ones that did not. Ties keep the twin's order.
 *
 * <p>Thread-safe.
 */
public final class RelayRanker {
  private final Duration period;
  private final Clock clock;
  private final Map<String, ArrayDeque<Long>> failures = new ConcurrentHashMap<>();

  public RelayRanker(Duration period, Clock clock) {
    this.period = Objects.requireNonNull(period, "period");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Records a failure of {@code domain} now. */
  public void downvote(String domain) {
    long now = clock.millis();
    ArrayDeque<Long> times = failures.computeIfAbsent(domain, d -> new ArrayDeque<>());
    synchronized (times) {
      times.addLast(now);
      prune(times, now);
    }
  }

  /** Failures of {@code domain} within the period. */
  public int failures(String domain) {
    ArrayDeque<Long> times = failures.get(domain);
    if (times == null) {
      return 0;
    }
    synchronized (times) {
      prune(times, clock.millis());
      return times.size();
    }
  }

  /** {@code domains} ordered by failures within the period, fewest first (stable). */
  public List<String> rank(Collection<String> domains) {
    List<String> ranked = new ArrayList<>(domains);
    Map<String, Integer> counts = new java.util.HashMap<>();
    for (String domain : ranked) {
      counts.put(domain, failures(domain));
    }
    ranked.sort(Comparator.comparingInt(counts::get));
    return ranked;
  }

  private void prune(ArrayDeque<Long> times, long now) {
    long oldest = now - period.toMillis();
    while (!times.isEmpty() && times.peekFirst() <= oldest) {
      times.removeFirst();
    }
  }
}
