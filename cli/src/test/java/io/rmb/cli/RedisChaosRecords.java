package io.rmb.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * {@code RedisChaosIT}'s own per-destination records: when each request was pushed, every
 * answer with its time, status, message and raw {@code src}, and when each fault fired. Written
 * to {@code <out>/redis-destinations.txt} for every destination that did not get exactly one
 * response (errors, duplicates, none), each with the phase it was sent in, so a run's oddities
 * can be traced to a fault without re-running it. Thread-safe: the collector adds answers
 * while the test thread adds requests and faults.
 */
final class RedisChaosRecords {
  /** One answer as popped: seconds since the start, status, error message, raw src. */
  record Answer(double at, String status, String message, String src) {
    @Override
    public String toString() {
      return String.format("%.1f s %s src=\"%s\"%s", at, status, src,
          message.isEmpty() ? "" : " \"" + message + "\"");
    }
  }

  private final long startNanos;
  private final double[] sentAt;
  private final Map<String, List<Answer>> answers = new ConcurrentHashMap<>();
  private final List<String> faults = new ArrayList<>();
  private final List<String> faultNames = new ArrayList<>();
  private final List<Double> faultTimes = new ArrayList<>();

  RedisChaosRecords(long startNanos, int requests) {
    this.startNanos = startNanos;
    this.sentAt = new double[requests];
  }

  private double seconds(long nanos) {
    return (nanos - startNanos) / 1e9;
  }

  void sent(int request, long nanos) {
    sentAt[request] = seconds(nanos);
  }

  synchronized void fault(String what, long nanos) {
    faults.add(String.format("%.1f s %s", seconds(nanos), what));
    faultNames.add(what);
    faultTimes.add(seconds(nanos));
  }

  void answer(String key, String status, String message, String src, long nanos) {
    answers.computeIfAbsent(key, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
        .add(new Answer(seconds(nanos), status, message, src));
  }

  /** The phase a request was sent in: "k NAME", after the k-th fault event NAME. */
  private synchronized String phase(double at) {
    int k = 0;
    while (k < faultTimes.size() && faultTimes.get(k) <= at) {
      k++;
    }
    return k == 0 ? "0 start" : k + " " + faultNames.get(k - 1);
  }

  /**
   * Writes the faults, a count of odd destinations by phase and kind, and one line per odd
   * destination; {@code destinations} gives request i's destination twins.
   */
  void write(Path file, int requests, IntFunction<List<Long>> destinations)
      throws IOException {
    List<String> lines = new ArrayList<>();
    synchronized (this) {
      lines.add("faults (seconds since start): " + faults);
    }
    Map<String, Integer> byPhase = new TreeMap<>();
    List<String> odd = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      for (long twin : destinations.apply(i)) {
        String key = OutcomeTally.key("c" + i, Long.toString(twin));
        List<Answer> got = answers.getOrDefault(key, List.of());
        String kind;
        synchronized (got) {
          if (got.size() == 1 && got.get(0).status().equals("response")) {
            continue;
          }
          kind = got.isEmpty() ? "never answered"
              : got.size() > 1 ? "answered " + got.size() + " times"
              : got.get(0).status() + " " + shortMessage(got.get(0).message());
          odd.add(String.format("%s sent %.1f s phase %s: %s", key, sentAt[i],
              phase(sentAt[i]), got.isEmpty() ? "none" : List.copyOf(got)));
        }
        byPhase.merge("phase " + phase(sentAt[i]) + ": " + kind, 1, Integer::sum);
      }
    }
    lines.add("odd destinations by the phase they were sent in (after the k-th fault event):");
    byPhase.forEach((k, n) -> lines.add("  " + k + ": " + n));
    lines.addAll(odd);
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
  }

  private static String shortMessage(String message) {
    int colon = message.indexOf(':');
    String head = colon < 0 ? message : message.substring(0, colon);
    return head.length() > 60 ? head.substring(0, 60) : head;
  }
}
