package io.rmb.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StartWindowTest {
  private static final long START = 1_000_000;

  @Test
  void theRetentionIsThreeCommitIntervalsAndAtLeastAMinute() {
    StartWindow defaults = new StartWindow(START, Map.of()); // 30 s commits: 90 s
    assertThat(defaults.open(START + 89_999)).isTrue();
    assertThat(defaults.open(START + 90_000)).isFalse();

    StartWindow eos = new StartWindow(START, Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        100L)); // 300 ms, raised to the minute
    assertThat(eos.open(START + 59_999)).isTrue();
    assertThat(eos.open(START + 60_000)).isFalse();

    StartWindow text = new StartWindow(START, Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        " 40000 "));
    assertThat(text.open(START + 119_999)).isTrue();
    assertThat(text.open(START + 120_000)).isFalse();
  }

  @Test
  void onlyRecordsWrittenBeforeTheStartAndReadInsideTheWindowMayBeReplays() {
    StartWindow window = new StartWindow(START, Map.of());
    assertThat(window.mayBeReplay(START - 1, START + 10)).isTrue();
    assertThat(window.mayBeReplay(START, START + 10)).isFalse();
    assertThat(window.mayBeReplay(START - 1, START + 90_000)).isFalse();
  }

  @Test
  void restoredUidsAreForgottenWhenTheWindowCloses() {
    StartWindow window = new StartWindow(START, Map.of());
    window.restore("u1");
    assertThat(window.check(START + 1)).isTrue();
    assertThat(window.restored("u1")).isTrue();
    assertThat(window.check(START + 90_000)).isFalse();
    assertThat(window.restored("u1")).isFalse();
  }

  @Test
  void aDoneMarkerIsPurgedTheRetentionAfterItsDeadlineOrAfterNowIfLater() {
    StartWindow window = new StartWindow(START, Map.of());
    assertThat(window.purgeAt(START + 5_000, START)).isEqualTo(START + 95_000);
    assertThat(window.purgeAt(START - 5_000, START)).isEqualTo(START + 90_000);
  }
}
