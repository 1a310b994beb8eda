package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rmb.relay.session.SessionKey;
import io.rmb.relay.testing.Prometheus;
import io.rmb.relay.testing.RawHttp;
import io.rmb.relay.testing.TestPeer;
import io.rmb.relay.testing.TestTwins;
import io.rmb.relay.websocket.KeepAlive;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay pings quiet clients: one that answers stays connected, one that stops answering
 * is closed with 1001 {@code ping timeout}, and its session is gone.
 */
@Tag("integration")
class KeepAliveIT {
  @TempDir Path dir;

  @Test
  void silentClientIsEvictedWhileAnsweringClientStays() throws Exception {
    Clock clock = Clock.systemUTC();
    KeepAlive keepAlive = new KeepAlive(Duration.ofMillis(200), Duration.ofMillis(500));
    try (RelayServer relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain(TestTwins.DOMAIN).twinsFile(TestTwins.writeFile(dir)).keepAlive(keepAlive)
        .build())) {
      TestPeer alive = TestPeer.connect(relay.port(), SessionKey.of(TestTwins.ALICE), clock);
      TestPeer silent = TestPeer.connect(relay.port(), SessionKey.of(TestTwins.BOB), clock);
      silent.stopAnsweringPings();
      try {
        TestPeer.Closed closed = silent.awaitClosed();
        assertThat(closed.code()).isEqualTo(KeepAlive.CLOSE_CODE);
        assertThat(closed.reason()).isEqualTo(KeepAlive.CLOSE_REASON);
        assertThat(silent.pingsReceived()).isPositive();
        // the answering client has been pinged several times by now and is still there
        await().atMost(TestPeer.PATIENCE).until(() -> alive.pingsReceived() >= 3);
        assertThat(alive.isOpen()).isTrue();
        assertThat(alive.closedNow()).isNull();
        await().atMost(TestPeer.PATIENCE).until(() -> relay.stats().sessionsOpen() == 1);
        RawHttp.Response scrape = RawHttp.request(relay.port(), "GET", "/metrics", new byte[0]);
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(Prometheus.parse(scrape.body()))
            .containsEntry("rmb_relay_ping_timeouts_total", 1.0);
      } finally {
        alive.disconnect();
      }
    }
  }
}
