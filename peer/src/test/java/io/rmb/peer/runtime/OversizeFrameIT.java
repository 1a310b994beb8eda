package io.rmb.peer.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.metrics.PeerMetrics;
import io.rmb.peer.transport.Backoff;
import io.rmb.peer.transport.RelayOptions;
import io.rmb.peer.transport.RelayState;
import io.rmb.peer.transport.TestRelay;
import io.rmb.peer.twin.Twin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer with a small {@link RelayOptions#maxFrameSize()} behind a real (test) relay: a request
 * above the limit is refused and counted as {@link DropReason#OVERSIZE}, the connection comes
 * back, and the next request within the limit is answered.
 */
class OversizeFrameIT {
  private static final Identity SMALL = Identity.fromSecret("//Alice", KeyType.SR25519);
  private static final Identity SENDER = Identity.fromSecret("//Bob", KeyType.ED25519);
  private final MapTwinDirectory twins = new MapTwinDirectory()
      .put(new Twin(1, SMALL.publicKey(), Set.of("127.0.0.1"), null))
      .put(new Twin(2, SENDER.publicKey(), Set.of("127.0.0.1"), null));
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private PeerMetrics metrics;

  @AfterEach
  void tearDown() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private RmbPeer peer(Identity identity, long twin, String relay, int maxFrameSize) {
    RmbPeer peer = RmbPeer.create(RmbPeerOptions.builder().identity(identity).twin(twin)
        .twins(twins).relayOptions(RelayOptions.builder().relays(relay)
            .maxFrameSize(maxFrameSize).backoff(Backoff.fixed(Duration.ofMillis(50))).build())
        .build());
    cleanup.add(peer);
    peer.handle("echo", RequestHandler.sync(req -> Reply.of("ok:" + req.payload().length)));
    return peer.start();
  }

  private static boolean connected(RmbPeer peer) {
    return peer.stats().relays().stream().allMatch(s -> s.state() == RelayState.CONNECTED);
  }

  @Test
  void anOversizeRequestIsDroppedAndCountedAndTheNextOneIsAnswered() throws Exception {
    TestRelay relay = TestRelay.start(0, twins);
    cleanup.add(relay::shutdown);
    RmbPeer small = peer(SMALL, 1, relay.url(), 4096);
    RmbPeer sender = peer(SENDER, 2, relay.url(), RelayOptions.DEFAULT_MAX_FRAME_SIZE);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    metrics = new PeerMetrics(small, Tags.empty()); // meters hold their source weakly: keep it
    metrics.bindTo(registry);
    await().atMost(Duration.ofSeconds(10)).until(() -> connected(small) && connected(sender));

    Outcome big = sender.request(List.of(1L), "echo", new byte[8192], Duration.ofSeconds(2))
        .outcome(1).get(15, TimeUnit.SECONDS);

    assertThat(big).as("never read by twin 1, so no answer").isInstanceOf(Outcome.Timeout.class);
    assertThat(small.stats().dropped(DropReason.OVERSIZE)).isEqualTo(1);
    assertThat(small.stats().relays().get(0).oversizeFrames()).isEqualTo(1);
    assertThat(registry.get("rmb.peer.dropped").tag("reason", "oversize").functionCounter()
        .count()).isEqualTo(1.0);
    await().atMost(Duration.ofSeconds(20)).until(() -> connected(small)
        && small.stats().relays().get(0).connects() == 2);
    Outcome fits = sender.request(List.of(1L), "echo", "x".repeat(100)
        .getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10)).outcome(1)
        .get(15, TimeUnit.SECONDS);
    assertThat(fits).isInstanceOf(Outcome.Response.class);
    assertThat(((Outcome.Response) fits).payloadText()).isEqualTo("ok:100");
  }
}
