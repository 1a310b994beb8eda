package io.rmb.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

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

  private JitCpu() {}

  /** CPU time of the live compiler threads so far; -1 where {@code /proc} is not there. */
  static long nanos() {
    if (!Files.isDirectory(TASKS)) {
      return -1;
    }
    long ticks = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        ticks += compilerTicks(task);
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return ticks * NANOS_PER_TICK;
  }

  private static long compilerTicks(Path task) {
    try {
      String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
      return isCompiler(stat) ? ticks(stat) : 0;
    } catch (IOException e) {
      return 0; // the thread ended between the listing and the read
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
