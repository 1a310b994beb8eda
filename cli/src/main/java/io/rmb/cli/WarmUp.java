package io.rmb.cli;

import java.io.PrintWriter;

/**
 * The warm-up of one path of {@code rmb dev --demo}: a first run, then (with {@code --settle})
 * rounds of a fifth of it until the JIT has settled.
 *
 * <p>Why: the measured window must find each path at its steady state. The peer's code is
 * compiled within a minute; the Kafka path (broker, Streams, clients) keeps the single C2
 * compiler thread of a 2-core machine busy for minutes, and a window measured meanwhile ran
 * partly interpreted code beside the compiler.
 */
final class WarmUp {
  /** A path is settled once the JIT compiler threads used less than this % of the CPU. */
  static final int SETTLED_JIT_PERCENT = 5;
  static final double SETTLED_JIT_SHARE = SETTLED_JIT_PERCENT / 100.0;
  /** --settle: at most this many rounds after the warm-up. */
  static final int MAX_ROUNDS = 20;

  /** One path of the demo: runs {@code run}'s requests on it. */
  interface DemoPath {
    DemoRun.Summary run(DemoRun run) throws Exception;
  }

  private WarmUp() {}

  /**
   * Runs {@code first} on {@code path}, then up to {@code maxRounds} rounds of a fifth of it
   * while the last run's JIT share is at or above {@link #SETTLED_JIT_SHARE}, printing each
   * run's figures to {@code out}. Where the share cannot be read (no Linux {@code /proc}) it
   * says so and runs no round.
   *
   * @return how many rounds ran after {@code first}
   */
  static int run(DemoPath path, DemoRun first, int maxRounds, PrintWriter out) throws Exception {
    DemoRun.Summary last = path.run(first);
    out.println("warm-up (discarded): " + last.line());
    out.flush();
    if (maxRounds > 0 && Double.isNaN(last.jitShare())) {
      out.println("settling: the JIT's share of the CPU cannot be read here (it comes from"
          + " Linux /proc); no settling rounds");
      out.flush();
      return 0;
    }
    DemoRun round = first.withCount(Math.max(1, first.count() / 5));
    int rounds = 0;
    while (rounds < maxRounds && last.jitShare() >= SETTLED_JIT_SHARE) {
      last = path.run(round);
      rounds++;
      out.println("settling (discarded): " + last.line());
      out.flush();
    }
    return rounds;
  }
}
