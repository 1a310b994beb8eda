package io.rmb.peer.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesWithJitterUpToTheCap() {
    Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30),
        new Random(7));
    for (int round = 0; round < 200; round++) {
      assertThat(backoff.delay(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
      assertThat(backoff.delay(2)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
      assertThat(backoff.delay(4)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
      assertThat(backoff.delay(6)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
      assertThat(backoff.delay(1000)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
    }
  }

  @Test
  void spreadsPeersThatRetryTogether() {
    Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30),
        new Random(1));
    Set<Duration> delays = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      delays.add(backoff.delay(3));
    }
    assertThat(delays.size()).isGreaterThan(40);
  }

  @Test
  void validatesItsBounds() {
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1),
        new Random())).hasMessageContaining("initial backoff must be positive");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1),
        new Random())).hasMessageContaining("is below the initial");
    assertThat(Backoff.fixed(Duration.ofMillis(5)).delay(99)).isEqualTo(Duration.ofMillis(5));
  }
}
