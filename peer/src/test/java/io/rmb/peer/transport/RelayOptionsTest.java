package io.rmb.peer.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelayOptionsTest {
  @Test
  void keepsUpToFourRelaysInOrderWithRmbPeerTimings() {
    RelayOptions options = RelayOptions.of("ws://a", "ws://b", "wss://c", "wss://d:444/x");
    assertThat(options.relays()).extracting(RelayEndpoint::toString)
        .containsExactly("ws://a/", "ws://b/", "wss://c/", "wss://d:444/x");
    assertThat(options.pingInterval()).isEqualTo(Duration.ofSeconds(20));
    assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(40));
    Duration first = options.backoff().delay(1);
    assertThat(first).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
  }

  @Test
  void refusesBadRelayListsNamingTheProblem() {
    assertThatThrownBy(() -> RelayOptions.of("ws://a", "ws://b", "ws://c", "ws://d", "ws://e"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("at most 4 relay URLs are allowed, got 5");
    assertThatThrownBy(RelayOptions::of).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at least one relay URL is required");
    assertThatThrownBy(() -> RelayOptions.of("ws://a", "ws://A/"))
        .hasMessage("relay URL ws://A/ is listed twice");
    assertThatThrownBy(() -> RelayOptions.of("ws://a", "tcp://b"))
        .hasMessageContaining("'tcp://b' must start with ws:// or wss://");
  }

  @Test
  void resendsTwoSecondsByDefaultZeroTurnsItOffAndBadBoundsAreRefused() {
    RelayOptions defaults = RelayOptions.of("ws://a");
    assertThat(defaults.resendWindow()).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.resendMaxFrames()).isEqualTo(10_000);
    assertThat(defaults.resendMaxBytes()).isEqualTo(16L * 1024 * 1024);
    RelayOptions off = defaults.toBuilder().resendWindow(Duration.ZERO).resendMaxFrames(5)
        .resendMaxBytes(100).build();
    assertThat(off.resendWindow()).isZero();
    assertThat(off.toBuilder().build().resendMaxFrames()).isEqualTo(5);
    assertThat(off.toBuilder().build().resendMaxBytes()).isEqualTo(100);
    assertThatThrownBy(() -> RelayOptions.builder().relays("ws://a")
        .resendWindow(Duration.ofMillis(-1)).build())
        .hasMessage("resend window must be zero (off) or positive, got PT-0.001S");
    assertThatThrownBy(() -> RelayOptions.builder().relays("ws://a").resendWindow(null).build())
        .hasMessageContaining("resend window");
    assertThatThrownBy(() -> RelayOptions.builder().relays("ws://a").resendMaxFrames(0).build())
        .hasMessage("resend max frames must be at least 1, got 0");
    assertThatThrownBy(() -> RelayOptions.builder().relays("ws://a").resendMaxBytes(0).build())
        .hasMessage("resend max bytes must be at least 1, got 0");
  }

  @Test
  void refusesTimingsThatCannotWork() {
    assertThatThrownBy(() -> RelayOptions.builder().relays("ws://a")
        .pingInterval(Duration.ofSeconds(40)).readTimeout(Duration.ofSeconds(40)).build())
        .hasMessageContaining("must be longer than the ping interval");
    assertThatThrownBy(() -> RelayOptions.builder().relays("ws://a")
        .connectTimeout(Duration.ZERO).build())
        .hasMessageContaining("connect timeout must be positive");
    assertThatThrownBy(() -> RelayOptions.builder().relays("ws://a").maxQueuedFrames(0).build())
        .hasMessageContaining("max queued frames");
    assertThatThrownBy(() -> RelayOptions.builder().relays("ws://a").maxFrameSize(0).build())
        .hasMessage("max frame size must be at least 1 byte, got 0");
  }

  @Test
  void theFrameLimitDefaultsToTheRelaysOneMebibyteAndSurvivesToBuilder() {
    assertThat(RelayOptions.of("ws://a").maxFrameSize()).isEqualTo(1_048_576);
    RelayOptions small = RelayOptions.builder().relays("ws://a").maxFrameSize(4096).build();
    assertThat(small.toBuilder().build().maxFrameSize()).isEqualTo(4096);
  }
}
