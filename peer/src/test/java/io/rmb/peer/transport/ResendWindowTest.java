package io.rmb.peer.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResendWindowTest {
  private static final long T0 = 1_000_000;

  private static byte[] frame(int size, int tag) {
    byte[] bytes = new byte[size];
    bytes[0] = (byte) tag;
    return bytes;
  }

  private static List<Integer> tags(ResendWindow.Drained drained) {
    return drained.live().stream().map(s -> (int) s.frame()[0]).toList();
  }

  @Test
  void drainReturnsWhatWasWrittenInTheWindowAndIsStillDueInWriteOrder() {
    ResendWindow window = new ResendWindow(2_000, 100, 1 << 20);
    window.record(frame(10, 1), T0 + 60_000, T0); // older than the window at the drain
    window.record(frame(10, 2), T0 + 2_500, T0 + 1_500); // within it, but past its deadline
    window.record(frame(10, 3), T0 + 60_000, T0 + 1_600);
    window.record(frame(10, 4), T0 + 3_100, T0 + 1_700);

    ResendWindow.Drained drained = window.drain(T0 + 3_000);

    assertThat(tags(drained)).containsExactly(3, 4);
    assertThat(drained.expired()).isEqualTo(1);
    assertThat(drained.older()).isEqualTo(1);
    assertThat(drained.live().get(1).due()).isEqualTo(T0 + 3_100);
  }

  @Test
  void framesOutOfTheWindowAreLetGoOnTheNextWriteWithoutCountingAsForgotten() {
    ResendWindow window = new ResendWindow(1_000, 100, 1 << 20);
    assertThat(window.record(frame(10, 1), T0 + 60_000, T0)).isZero();
    assertThat(window.record(frame(10, 2), T0 + 1_100, T0 + 10)).isZero();
    assertThat(window.size()).isEqualTo(2);
    // the first is older than the window now, the second past its deadline
    assertThat(window.record(frame(10, 3), T0 + 60_000, T0 + 1_200)).isZero();
    assertThat(window.size()).isEqualTo(1);
  }

  @Test
  void theCountAndByteBoundsForgetTheOldestFirstAndSaySo() {
    ResendWindow byCount = new ResendWindow(10_000, 3, 1 << 20);
    int forgotten = 0;
    for (int i = 1; i <= 5; i++) {
      forgotten += byCount.record(frame(10, i), T0 + 60_000, T0 + i);
    }
    assertThat(forgotten).isEqualTo(2);
    assertThat(tags(byCount.drain(T0 + 10))).containsExactly(3, 4, 5);

    ResendWindow byBytes = new ResendWindow(10_000, 100, 250);
    assertThat(byBytes.record(frame(100, 1), T0 + 60_000, T0)).isZero();
    assertThat(byBytes.record(frame(100, 2), T0 + 60_000, T0 + 1)).isZero();
    assertThat(byBytes.record(frame(100, 3), T0 + 60_000, T0 + 2)).isEqualTo(1);
    assertThat(byBytes.record(frame(300, 4), T0 + 60_000, T0 + 3))
        .as("a frame above the byte bound pushes out everything, itself included")
        .isEqualTo(3);
    assertThat(byBytes.drain(T0 + 10).live()).isEmpty();
  }

  @Test
  void aDrainedWindowTakesNothingMoreAndAZeroWindowRemembersNothing() {
    ResendWindow window = new ResendWindow(2_000, 100, 1 << 20);
    window.record(frame(10, 1), T0 + 60_000, T0);
    assertThat(window.open()).isTrue();
    assertThat(tags(window.drain(T0 + 1))).containsExactly(1);
    assertThat(window.open()).isFalse();
    window.record(frame(10, 2), T0 + 60_000, T0 + 2);
    assertThat(window.drain(T0 + 3).live()).isEmpty();

    ResendWindow off = new ResendWindow(0, 100, 1 << 20);
    off.record(frame(10, 1), T0 + 60_000, T0);
    assertThat(off.size()).isZero();
  }
}
