package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.relay.routing.RouteOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos network's faults do what the chaos ITs count on: once twin 9 left relay A, a
 * request sent through relay A reaches twin 9 by federation to relay B (relay A counts it as
 * federated) and its answer comes back; and relay A killed and started again still delivers
 * what it had queued, from its Redis.
 */
class ChaosNetIT {
  @TempDir Path dir;

  @Test
  void twin9LeavingRelayAIsReachedThroughFederation() throws Exception {
    try (ChaosNet net = new ChaosNet(dir); RmbPeer caller = caller(net)) {
      assertThat(echo(net, caller, 9, "before")).isEqualTo("before");
      assertThat(net.relayA().stats().routed(RouteOutcome.FEDERATED)).isZero();

      net.dropRelayAOfTwin9();

      for (int i = 0; i < 5; i++) {
        assertThat(echo(net, caller, 9, "after " + i)).isEqualTo("after " + i);
      }
      // the caller sends on relay A (first in its list): only federation reaches twin 9 now
      assertThat(net.relayA().stats().routed(RouteOutcome.FEDERATED)).isEqualTo(5);
    }
  }

  @Test
  void relayAKilledAndRestartedStillDeliversWhatItQueued() throws Exception {
    try (ChaosNet net = new ChaosNet(dir); RmbPeer caller = caller(net)) {
      assertThat(echo(net, caller, 8, "warm")).isEqualTo("warm");
      net.stopEcho8();
      var handle = caller.request(List.of(8L), "test.echo",
          "queued".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> net.relayA().stats().routed(RouteOutcome.QUEUED) >= 1);
      net.killRelayA();
      net.restartRelayA();
      net.startEcho8();
      Outcome outcome = handle.outcome(8).get(60, TimeUnit.SECONDS);
      assertThat(outcome).isInstanceOf(Outcome.Response.class);
      assertThat(((Outcome.Response) outcome).payloadText()).isEqualTo("queued");
    }
  }

  private static RmbPeer caller(ChaosNet net) {
    RmbPeer caller = RmbPeer.create(RmbPeerOptions.builder()
        .identity(Identity.fromSecret("//Alice", KeyType.SR25519)).twin(ChaosNet.CALLER)
        .relays(net.relayUrls()).twins(new FileTwinDirectory(net.twins)).build()).start();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(caller::isConnected);
    return caller;
  }

  private static String echo(ChaosNet net, RmbPeer caller, long twin, String text) throws Exception {
    Outcome outcome = caller.request(List.of(twin), "test.echo",
        text.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30)).outcome(twin)
        .get(60, TimeUnit.SECONDS);
    assertThat(outcome).as("outcome from twin %d; relay A %s; relay B %s", twin,
        net.relayA().stats(), net.relayB().stats()).isInstanceOf(Outcome.Response.class);
    return ((Outcome.Response) outcome).payloadText();
  }
}
