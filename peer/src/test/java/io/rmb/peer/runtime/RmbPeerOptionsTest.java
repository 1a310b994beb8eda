package io.rmb.peer.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RmbPeerOptionsTest {
  private static RmbPeerOptions.Builder valid() {
    return RmbPeerOptions.builder().identity(PeerFixture.ID_A).twin(1)
        .relays("wss://relay.example").twins(new MapTwinDirectory());
  }

  @Test
  void defaultsFollowRmbPeer() {
    RmbPeerOptions options = valid().build();
    assertThat(options.defaultTtl()).isEqualTo(Duration.ofSeconds(300));
    assertThat(options.session()).isEmpty();
    assertThat(options.handlerExecutor()).isEmpty();
    assertThat(options.relayOptions().pingInterval()).isEqualTo(Duration.ofSeconds(20));
    assertThat(options.relayOptions().readTimeout()).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void rejectsMissingOrInvalidSettingsNamingThem() {
    assertThatThrownBy(() -> valid().identity(null).build()).hasMessageContaining("identity");
    assertThatThrownBy(() -> valid().twin(0).build()).hasMessageContaining("own twin id");
    assertThatThrownBy(() -> valid().twin(1L << 32).build()).hasMessageContaining("own twin id");
    assertThatThrownBy(() -> valid().twins(null).build()).hasMessageContaining("twin directory");
    assertThatThrownBy(() -> RmbPeerOptions.builder().identity(PeerFixture.ID_A).twin(1)
        .twins(new MapTwinDirectory()).build()).hasMessageContaining("relays");
    assertThatThrownBy(() -> valid().defaultTtl(Duration.ofSeconds(1801)).build())
        .hasMessageContaining("default ttl");
    assertThatThrownBy(() -> valid().relays("ws://a", "ws://b", "ws://c", "ws://d", "ws://e"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 4");
    assertThatThrownBy(() -> valid().relays("https://relay.example"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws://");
  }
}
