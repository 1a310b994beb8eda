package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RequestHandler;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.CachingTwinDirectory;
import io.rmb.peer.twin.FileTwinDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two twins connected to two relays keep talking when one relay is stopped mid-stream. */
@Tag("integration")
class FailoverBetweenRelaysIT {
  @TempDir Path dir;

  @Test
  void requestsKeepFlowingThroughTheSurvivingRelay() throws Exception {
    Identity caller = Identity.fromSecret("//Alice", KeyType.SR25519);
    Identity server = Identity.fromSecret("//Bob", KeyType.ED25519);
    ArrayNode twins = new ObjectMapper().createArrayNode();
    twins.addObject().put("id", 1).put("account", caller.ss58()).put("relay", "r1.local_r2.local");
    twins.addObject().put("id", 2).put("account", server.ss58()).put("relay", "r1.local_r2.local");
    Path file = dir.resolve("twins.json");
    Files.writeString(file, twins.toString());
    RelayServer first = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain("r1.local").twinsFile(file).build());
    RelayServer second = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain("r2.local").twinsFile(file).build());
    String[] urls = {"ws://127.0.0.1:" + first.port(), "ws://127.0.0.1:" + second.port()};
    RmbPeer echo = peer(server, 2, urls, file).handleOthers(RequestHandler.sync(request ->
        Reply.of(request.payload(), null))).start();
    RmbPeer client = peer(caller, 1, urls, file).start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> echo.isConnected()
          && client.isConnected());
      for (int i = 0; i < 40; i++) {
        if (i == 20) {
          assertThat(first.stats().routed(io.rmb.relay.routing.RouteOutcome.DELIVERED))
              .as("the first relay carried the first half").isGreaterThanOrEqualTo(20);
          first.close(); // mid-stream: the next requests must go through the second relay
        }
        byte[] payload = ("n" + i).getBytes(StandardCharsets.UTF_8);
        Outcome outcome = client.request(List.of(2L), "echo", payload, Duration.ofSeconds(20))
            .outcome(2).get(30, TimeUnit.SECONDS);
        assertThat(outcome).as("request %d", i).isInstanceOfSatisfying(Outcome.Response.class,
            response -> assertThat(response.payload()).isEqualTo(payload));
      }
      assertThat(second.stats().routed(io.rmb.relay.routing.RouteOutcome.DELIVERED))
          .as("the surviving relay carried the second half").isGreaterThanOrEqualTo(20);
    } finally {
      client.close();
      echo.close();
      first.close();
      second.close();
    }
  }

  private static RmbPeer peer(Identity identity, long twin, String[] urls, Path twins) {
    return RmbPeer.create(RmbPeerOptions.builder().identity(identity).twin(twin).relays(urls)
        .twins(new CachingTwinDirectory(new FileTwinDirectory(twins))).build());
  }
}
