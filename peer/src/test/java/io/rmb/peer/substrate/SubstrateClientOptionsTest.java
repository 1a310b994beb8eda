package io.rmb.peer.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SubstrateClientOptionsTest {
  @Test
  void defaultsFollowRmbPeer() {
    SubstrateClientOptions options =
        SubstrateClientOptions.of("wss://tfchain.grid.tf:443", "wss://tfchain.test.grid.tf:443");
    assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(12));
    assertThat(options.maxAttempts()).isEqualTo(4);
    assertThat(options.webSocket()).isTrue();
    assertThat(SubstrateClientOptions.of("http://127.0.0.1:9933").webSocket()).isFalse();
    assertThat(options.toBuilder().maxAttempts(7).build().maxAttempts()).isEqualTo(7);
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> SubstrateClientOptions.builder().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> SubstrateClientOptions.of("ws://a:1", "http://b:2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all ws(s)://");
    assertThatThrownBy(() -> SubstrateClientOptions.of("ftp://a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://a");
    assertThatThrownBy(() -> SubstrateClientOptions.of("not a url"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SubstrateClientOptions.builder().urls("ws://a:1")
        .connectTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connect timeout");
  }
}
