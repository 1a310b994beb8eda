package io.rmb.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.streams.record.Answer;
import java.util.List;
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
    assertThat(window.close(START + 1)).as("still open").isNull();
    assertThat(window.restored("u1")).isTrue();
    assertThat(window.close(START + 90_000)).isEmpty();
    assertThat(window.restored("u1")).isFalse();
  }

  @Test
  void onlyErrorsForRestoredRequestsInsideTheWindowAreDeferredAndHandedBackAtItsClose() {
    StartWindow window = new StartWindow(START, Map.of());
    window.restore("u1");
    Answer error = Answer.error(11, 500, "not sent");
    assertThat(window.deferError("u1", error, START + 1)).isTrue();
    assertThat(window.deferError("u2", error, START + 1)).as("not restored").isFalse();
    assertThat(window.deferError("u1", Answer.response(11, new byte[0], null), START + 1))
        .as("a response is joined at once").isFalse();
    assertThat(window.deferError("u1", error, START + 90_000)).as("window closed").isFalse();

    assertThat(window.close(START + 90_000)).containsExactly(Map.entry("u1", List.of(error)));
    assertThat(window.close(START + 90_001)).as("handed back once").isEmpty();
  }

  @Test
  void aDoneMarkerIsPurgedTheRetentionAfterItsDeadlineOrAfterNowIfLater() {
    StartWindow window = new StartWindow(START, Map.of());
    assertThat(window.purgeAt(START + 5_000, START)).isEqualTo(START + 95_000);
    assertThat(window.purgeAt(START - 5_000, START)).isEqualTo(START + 90_000);
  }
}
