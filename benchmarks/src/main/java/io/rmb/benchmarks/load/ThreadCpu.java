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
