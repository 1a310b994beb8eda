package io.rmb.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a measured window's CPU went, by thread group (thread name without its trailing
 * number): Java threads from {@link ThreadMXBean}, and the rest of the process CPU (GC, JIT,
 * VM threads, which are not Java threads) as "gc/jit/vm". Printed per event, in microseconds.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ThreadCpu() {}

  static Map<Long, Long> snapshot() {
    Map<Long, Long> cpu = new HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      long t = THREADS.getThreadCpuTime(id);
      if (t >= 0) {
        cpu.put(id, t);
      }
    }
    return cpu;
  }

  /**
   * Bytes allocated so far by all live Java threads. Unlike CPU time this hardly depends on
   * what else the machine runs, so it is the steadier figure for before/after comparisons.
   */
  static long allocatedBytes() {
    if (!(THREADS instanceof com.sun.management.ThreadMXBean sun)) {
      return 0;
    }
    long sum = 0;
    for (long bytes : sun.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
      sum += Math.max(0, bytes);
    }
    return sum;
  }

  /** CPU used since {@code before} by the Java threads whose names start with a prefix. */
  static long cpuOf(Map<Long, Long> before, java.util.List<String> prefixes) {
    long sum = 0;
    for (long id : THREADS.getAllThreadIds()) {
      long t = THREADS.getThreadCpuTime(id);
      ThreadInfo info = THREADS.getThreadInfo(id);
      if (t >= 0 && info != null
          && prefixes.stream().anyMatch(p -> info.getThreadName().startsWith(p))) {
        sum += t - before.getOrDefault(id, 0L);
      }
    }
    return sum;
  }

  static void print(Map<Long, Long> before, long processCpuNanos, long events) {
    if (events <= 0) {
      return;
    }
    Map<String, Long> byGroup = new TreeMap<>();
    long javaTotal = 0;
    for (long id : THREADS.getAllThreadIds()) {
      long t = THREADS.getThreadCpuTime(id);
      ThreadInfo info = THREADS.getThreadInfo(id);
      if (t < 0 || info == null) {
        continue;
      }
      long used = t - before.getOrDefault(id, 0L);
      javaTotal += used;
      byGroup.merge(info.getThreadName().replaceAll("[-#]?\\d+$", ""), used, Long::sum);
    }
    byGroup.put("gc/jit/vm (not Java threads)", Math.max(0, processCpuNanos - javaTotal));
    StringBuilder line = new StringBuilder("  CPU per event (us):");
    byGroup.entrySet().stream().filter(e -> e.getValue() * 100 >= processCpuNanos)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> line.append(String.format(" %s=%.0f", e.getKey(),
            e.getValue() / 1e3 / events)));
    line.append(String.format(" | total=%.0f", processCpuNanos / 1e3 / events));
    System.out.println(line);
  }
}
