package io.rmb.relay.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.relay.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FixedWindowRateLimiterTest {
  private final MutableClock clock = MutableClock.at(Instant.ofEpochSecond(6000));
  private final FixedWindowRateLimiter limiter = new FixedWindowRateLimiter(
      new RateLimit(3, 1000), FixedWindowRateLimiter.DEFAULT_WINDOW, clock);

  @Test
  void countIsLimitedPerTwinAndWindow() {
    assertThat(limiter.tryAcquire(1, 10)).isTrue();
    assertThat(limiter.tryAcquire(1, 10)).isTrue();
    assertThat(limiter.tryAcquire(1, 10)).isTrue();
    assertThat(limiter.tryAcquire(1, 10)).isFalse();
    assertThat(limiter.tryAcquire(2, 10)).as("another twin").isTrue();

    clock.advance(Duration.ofSeconds(60));

    assertThat(limiter.tryAcquire(1, 10)).as("next window").isTrue();
  }

  @Test
  void bytesAreLimitedAndAnOversizedEnvelopeIsAlwaysRefused() {
    assertThat(limiter.tryAcquire(1, 1001)).isFalse();
    assertThat(limiter.tryAcquire(1, 600)).isTrue();
    assertThat(limiter.tryAcquire(1, 600)).isFalse();
  }

  @Test
  void windowsAreAlignedToTheMinuteAndForgottenWhenOver() {
    clock.advance(Duration.ofSeconds(59));
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire(1, 1)).isTrue();
    }
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryAcquire(1, 1)).as("a new window started at :00").isTrue();
    clock.advance(Duration.ofSeconds(60));
    limiter.evictIdle();
    assertThat(limiter.tryAcquire(1, 1)).isTrue();
  }

  @Test
  void badLimitsAreRefused() {
    assertThatThrownBy(() -> new RateLimit(0, 1)).hasMessageContaining("count");
    assertThatThrownBy(() -> new RateLimit(1, 0)).hasMessageContaining("size");
  }
}
