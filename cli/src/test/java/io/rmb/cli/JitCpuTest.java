package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the JIT compiler threads' CPU time from {@code /proc}. */
class JitCpuTest {
  // a C2 thread's stat line (Linux 6.1), utime 1234 and stime 56 ticks
  private static final String C2 = "4242 (C2 CompilerThre) S 4200 4200 15498 0 -1 1077936192"
      + " 9047 0 0 0 1234 56 0 0 20 0 41 0 8367718 7416233984 86014 18446744073709551615";

  @Test
  void userAndSystemTicksAreFieldsFourteenAndFifteen() {
    assertThat(JitCpu.ticks(C2)).isEqualTo(1290);
  }

  @Test
  void aNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
    assertThat(JitCpu.ticks(C2.replace("(C2 CompilerThre)", "(a (b) c)"))).isEqualTo(1290);
  }

  @Test
  void onlyC1AndC2CompilerThreadsCount() {
    assertThat(JitCpu.isCompiler(C2)).isTrue();
    assertThat(JitCpu.isCompiler(C2.replace("C2 ", "C1 "))).isTrue();
    assertThat(JitCpu.isCompiler(C2.replace("(C2 CompilerThre)", "(StreamThread-1)")))
        .isFalse();
    assertThat(JitCpu.isCompiler(C2.replace("(C2 CompilerThre)", "(G1 Conc#0)"))).isFalse();
  }

  @Test
  void cpuSinceAnEarlierSampleIsCountedPerThread() {
    JitCpu.Sample earlier = new JitCpu.Sample(Map.of("11", 500L, "12", 300L));
    // thread 12 stopped (its 300 ticks must not count against the others), 13 started
    JitCpu.Sample later = new JitCpu.Sample(Map.of("11", 520L, "13", 7L));

    assertThat(later.nanosSince(earlier)).isEqualTo(27 * 10_000_000L);
    assertThat(later.nanosSince(new JitCpu.Sample(null))).isEqualTo(-1);
    assertThat(new JitCpu.Sample(null).nanosSince(earlier)).isEqualTo(-1);
  }

  @Test
  void thisJvmsCompilerThreadsHaveUsedCpu() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
    long sum = 0;
    for (int i = 0; i < 50_000_000; i++) { // hot enough to be compiled
      sum += Integer.rotateLeft(i, i & 31) ^ (sum >>> 3);
    }
    assertThat(sum).isNotZero();
    JitCpu.Sample now = JitCpu.sample();
    assertThat(now.ticks()).isNotEmpty();
    assertThat(now.nanosSince(new JitCpu.Sample(Map.of()))).isPositive();
  }
}
