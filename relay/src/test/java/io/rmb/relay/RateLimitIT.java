package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.proto.Envelope;
import io.rmb.relay.limit.RateLimit;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.testing.Prometheus;
import io.rmb.relay.testing.RawHttp;
import io.rmb.relay.testing.TestPeer;
import io.rmb.relay.testing.TestTwins;
import io.rmb.relay.testing.Twins;
import io.rmb.relay.websocket.WebSocketSessionHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --limit COUNT SIZE}: a twin that floods the relay gets relay errors for what is over
 * its 60 s window and keeps its connection, while another twin's requests flow.
 */
@Tag("integration")
class RateLimitIT {
  private static final int LIMIT = 5;
  private static final int FLOOD = 20;

  @TempDir Path dir;

  @Test
  void floodingTwinIsLimitedWhileAnotherTwinsRequestsKeepFlowing() throws Exception {
    Twins twins = Twins.write(dir, Map.of(1L, TestTwins.DOMAIN, 2L, TestTwins.DOMAIN,
        3L, TestTwins.DOMAIN));
    Clock clock = Clock.systemUTC();
    // the windows are aligned to the minute (as rmb-rs): flood well inside one
    await().atMost(Duration.ofSeconds(30))
        .until(() -> clock.instant().getEpochSecond() % 60 < 40);
    try (RelayServer relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
            .domain(TestTwins.DOMAIN).twinsFile(twins.file())
            .rateLimit(new RateLimit(LIMIT, 1 << 20)).build());
        RmbPeer flooder = twins.peer(1, Twins.ws(relay.port())).start();
        RmbPeer polite = twins.peer(3, Twins.ws(relay.port())).start()) {
      TestPeer receiver = TestPeer.connect(relay.port(), SessionKey.of(2), clock);
      await().atMost(Duration.ofSeconds(20))
          .until(() -> flooder.isConnected() && polite.isConnected());

      List<CompletableFuture<Outcome>> flood = new ArrayList<>();
      for (int i = 0; i < FLOOD; i++) {
        flood.add(flooder.request(List.of(2L), "flood", bytes("f" + i), Duration.ofSeconds(60))
            .outcome(2));
      }
      await().atMost(TestPeer.PATIENCE).until(() -> relay.stats().rateLimited() == FLOOD - LIMIT);
      for (int i = 0; i < 3; i++) {
        polite.request(List.of(2L), "polite", bytes("p" + i), Duration.ofSeconds(60));
      }

      Map<Long, Integer> received = new HashMap<>();
      for (int i = 0; i < LIMIT + 3; i++) {
        Envelope request = receiver.awaitEnvelope();
        received.merge(Envelopes.sourceTwin(request), 1, Integer::sum);
      }
      assertThat(received).isEqualTo(Map.of(1L, LIMIT, 3L, 3));
      assertThat(receiver.drainUntilSync()).as("nothing more got through").isEmpty();
      await().atMost(TestPeer.PATIENCE)
          .until(() -> flood.stream().filter(CompletableFuture::isDone).count() >= FLOOD - LIMIT);
      List<Outcome> errors = flood.stream().filter(CompletableFuture::isDone)
          .map(CompletableFuture::join).toList();
      assertThat(errors).hasSize(FLOOD - LIMIT).allSatisfy(outcome ->
          assertThat(outcome).isInstanceOfSatisfying(Outcome.Error.class, error ->
              assertThat(error.message()).isEqualTo(WebSocketSessionHandler.RATE_LIMITED)));
      assertThat(flooder.isConnected()).as("the connection stays open").isTrue();
      assertThat(relay.stats().protocolCloses()).isZero();
      Map<String, Double> metrics = Prometheus.parse(
          RawHttp.request(relay.port(), "GET", "/metrics", new byte[0]).body());
      assertThat(Prometheus.value(metrics, "rmb_relay_rate_limited_total"))
          .isEqualTo(FLOOD - LIMIT);
      receiver.disconnect();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
