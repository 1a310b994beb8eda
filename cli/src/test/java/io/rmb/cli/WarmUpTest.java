package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code rmb dev --settle}: when the warm-up of a path stops. */
class WarmUpTest {
  private final List<Integer> counts = new ArrayList<>();
  private final StringWriter out = new StringWriter();
  private final DemoRun first = new DemoRun(1000, 8, new PrintWriter(Writer.nullWriter()));

  /** A path whose runs report these JIT CPU shares in turn (ms of JIT per 1,000 ms of CPU). */
  private WarmUp.DemoPath path(long... jitMillis) {
    return run -> {
      long jit = jitMillis[counts.size()];
      counts.add(run.count());
      return new DemoRun.Summary("kafka", run.count(), run.count(), 0, 0,
          Duration.ofSeconds(1), Duration.ofMillis(1000), Duration.ofMillis(jit), 1, 2);
    };
  }

  @Test
  void roundsOfAFifthRunUntilTheJitUsesUnderFivePercent() throws Exception {
    int rounds = WarmUp.run(path(400, 120, 50, 49, 300), first, 20, new PrintWriter(out));

    // 5.0% is not settled yet; 4.9% is
    assertThat(rounds).isEqualTo(3);
    assertThat(counts).containsExactly(1000, 200, 200, 200);
    assertThat(out.toString()).startsWith("warm-up (discarded): kafka:")
        .contains("JIT 40% of the CPU").contains("settling (discarded): kafka:")
        .contains("JIT 5% of the CPU");
  }

  @Test
  void aSettledWarmUpRunsNoRound() throws Exception {
    assertThat(WarmUp.run(path(10), first, 20, new PrintWriter(out))).isZero();
    assertThat(counts).containsExactly(1000);
    assertThat(out.toString()).doesNotContain("settling");
  }

  @Test
  void roundsStopAtTheLimit() throws Exception {
    assertThat(WarmUp.run(path(500, 500, 500, 500), first, 2, new PrintWriter(out)))
        .isEqualTo(2);
    assertThat(counts).containsExactly(1000, 200, 200);
  }

  @Test
  void withoutSettlingOnlyTheWarmUpRuns() throws Exception {
    assertThat(WarmUp.run(path(500), first, 0, new PrintWriter(out))).isZero();
    assertThat(counts).containsExactly(1000);
  }

  @Test
  void anUnreadableJitShareIsSaidAndRunsNoRound() throws Exception {
    assertThat(WarmUp.run(path(-1, -1, -1), first, 2, new PrintWriter(out))).isZero();
    assertThat(counts).containsExactly(1000);
    assertThat(out.toString()).doesNotContain("% of the CPU")
        .contains("settling: the JIT's share of the CPU cannot be read here");
  }
}
