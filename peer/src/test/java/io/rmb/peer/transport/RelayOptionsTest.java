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
