package io.rmb.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time the JVM's JIT compiler threads have used, read from Linux's {@code /proc}.
 *
 * <p>Why: a benchmark window in which the JIT still compiles measures a warm-up, not a steady
 * state, and the Kafka path (broker, Streams, clients) is far more code than the peer's: on two
 * cores its compiles run for minutes. The compiler threads are hidden from
 * {@code ThreadMXBean}, and {@code CompilationMXBean} gives their wall time, which on a busy
 * machine is mostly waiting for a core; {@code /proc/self/task} gives their CPU time.
 */
final class JitCpu {
  /** Linux's fixed USER_HZ, the unit of the times in {@code /proc/.../stat}. */
  private static final long NANOS_PER_TICK = 10_000_000L;
  private static final Path TASKS = Path.of("/proc/self/task");

  /**
   * Ticks used so far by each live compiler thread, by thread id; {@code null} where
   * {@code /proc} cannot be read.
   */
  record Sample(Map<String, Long> ticks) {
    /**
     * CPU time the compiler threads used since {@code earlier}; -1 where either sample is
     * missing. Per thread: HotSpot may stop an idle compiler thread beyond the first of each
     * kind and start another later, and a plain sum would then fall back by the stopped
     * thread's whole time.
     */
    long nanosSince(Sample earlier) {
      if (ticks == null || earlier == null || earlier.ticks == null) {
        return -1;
      }
      long used = 0;
      for (Map.Entry<String, Long> thread : ticks.entrySet()) {
        used += thread.getValue() - earlier.ticks.getOrDefault(thread.getKey(), 0L);
      }
      return Math.max(0, used) * NANOS_PER_TICK;
    }
  }

  private JitCpu() {}

  /** The compiler threads' ticks now. */
  static Sample sample() {
    if (!Files.isDirectory(TASKS)) {
      return new Sample(null);
    }
    Map<String, Long> ticks = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        String stat = stat(task);
        if (stat != null && isCompiler(stat)) {
          ticks.put(task.getFileName().toString(), ticks(stat));
        }
      }
    } catch (IOException | RuntimeException e) {
      return new Sample(null);
    }
    return new Sample(Map.copyOf(ticks));
  }

  private static String stat(Path task) {
    try {
      return Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return null; // the thread ended between the listing and the read
    }
  }

  /** True for a {@code stat} line of a HotSpot compiler thread ("C1 CompilerThre..."). */
  static boolean isCompiler(String stat) {
    int open = stat.indexOf('(');
    return open >= 0 && stat.startsWith("CompilerThre", open + 4)
        && (stat.startsWith("C1 ", open + 1) || stat.startsWith("C2 ", open + 1));
  }

  /** User plus system ticks of one {@code stat} line (fields 14 and 15). */
  static long ticks(String stat) {
    // the name in parentheses may hold spaces and parentheses: count fields after the last ')'
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is field 3 (state), so field n is fields[n - 3]
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
