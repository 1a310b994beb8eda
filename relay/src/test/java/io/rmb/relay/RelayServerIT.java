package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rmb.relay.session.SessionKey;
import io.rmb.relay.testing.MutableClock;
import io.rmb.relay.testing.TestPeer;
import io.rmb.relay.testing.TestTwins;
import java.net.ConnectException;
import java.net.Socket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Starting and stopping a relay (a server per test: stopping it is what is tested). */
@Tag("integration")
class RelayServerIT {
  private final MutableClock clock = MutableClock.system();

  private RelayServer start() {
    return RelayServer.start(RelayOptions.builder()
        .listen("127.0.0.1:0")
        .domain(TestTwins.DOMAIN)
        .twins(TestTwins.directory())
        .clock(clock)
        .build());
  }

  @Test
  void listensOnAnEphemeralPort() {
    try (RelayServer relay = start()) {
      assertThat(relay.port()).isPositive();
      assertThat(relay.localAddress().getAddress().isLoopbackAddress()).isTrue();
      assertThat(relay.isOpen()).isTrue();
    }
  }

  @Test
  void closeSaysGoodbyeToSessionsAndStopsListening() {
    RelayServer relay = start();
    int port = relay.port();
    TestPeer alice = TestPeer.connect(port, SessionKey.of(TestTwins.ALICE), clock);
    await().atMost(TestPeer.PATIENCE).until(() -> relay.stats().sessionsOpen() == 1);

    relay.close();

    TestPeer.Closed closed = alice.awaitClosed();
    assertThat(closed.code()).isEqualTo(1001);
    assertThat(closed.remote()).isTrue();
    assertThat(relay.isOpen()).isFalse();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
    relay.close(); // idempotent
  }

  @Test
  void portInUseIsARelayException() {
    try (RelayServer first = start()) {
      RelayOptions clash = RelayOptions.builder()
          .listen("127.0.0.1", first.port())
          .domain(TestTwins.DOMAIN)
          .twins(TestTwins.directory())
          .build();

      assertThatThrownBy(() -> RelayServer.start(clash))
          .isInstanceOf(RelayException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port());
    }
  }

  @Test
  void countsConnectionsAndSessions() {
    try (RelayServer relay = start()) {
      TestPeer alice = TestPeer.connect(relay.port(), SessionKey.of(TestTwins.ALICE), clock);
      TestPeer bob = TestPeer.connect(relay.port(), SessionKey.of(TestTwins.BOB, "x"), clock);
      await().atMost(TestPeer.PATIENCE).until(() -> relay.stats().sessionsOpen() == 2);

      assertThat(relay.stats().connectionsOpen()).isEqualTo(2);
      assertThat(relay.stats().sessionsOpened()).isEqualTo(2);

      alice.disconnect();
      bob.disconnect();
      await().atMost(TestPeer.PATIENCE).until(() -> relay.stats().connectionsOpen() == 0);
      assertThat(relay.stats().sessionsOpen()).isZero();
      assertThat(relay.stats().connectionsAccepted()).isEqualTo(2);
    }
  }
}
