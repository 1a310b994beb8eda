package io.rmb.streams;

import static org.awaitility.Awaitility.await;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RequestHandler;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A private RMB network on loopback (shared with the connector's ITs through the test-jar):
 * a relay, a twins file, the gateway's twin 7 (//Alice)
 * and remote twins 11, 12, 13 that echo {@code test.echo}, fail {@code test.fail} (code 0,
 * "boom"), never answer {@code test.never} and answer {@code test.slow} after 2 s.
 */
public final class TestNet implements AutoCloseable {
  public static final long GATEWAY = 7;
  public static final Map<Long, String> REMOTES = Map.of(11L, "//Bob", 12L, "//Charlie",
      13L, "//Dave");

  public final Path twins;
  public final RelayServer relay;
  final List<RmbPeer> remotes = new ArrayList<>();
  private final ScheduledExecutorService slow = Executors.newSingleThreadScheduledExecutor();

  public TestNet(Path dir) throws Exception {
    twins = dir.resolve("twins.json");
    StringBuilder json = new StringBuilder("[").append(entry(GATEWAY, "//Alice"));
    REMOTES.forEach((id, secret) -> json.append(',').append(entry(id, secret)));
    Files.writeString(twins, json.append(']').toString());
    relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0").domain("localhost")
        .twinsFile(twins).build());
    for (Map.Entry<Long, String> remote : REMOTES.entrySet()) {
      RmbPeer peer = RmbPeer.create(RmbPeerOptions.builder()
          .identity(Identity.fromSecret(remote.getValue(), KeyType.SR25519))
          .twin(remote.getKey()).relays(relayUrl()).twins(new FileTwinDirectory(twins)).build());
      peer.handle("test.echo", RequestHandler.sync(r ->
          Reply.of(r.payload(), r.schema().orElse(null))));
      peer.handle("test.fail", RequestHandler.sync(r -> Reply.error("boom")));
      peer.handle("test.never", RequestHandler.sync(r -> Reply.later()));
      peer.handle("test.slow", r -> {
        CompletableFuture<Reply> later = new CompletableFuture<>();
        slow.schedule(() -> later.complete(Reply.of(r.payload(), r.schema().orElse(null))),
            2, TimeUnit.SECONDS);
        return later;
      });
      remotes.add(peer.start());
    }
    await().atMost(Duration.ofSeconds(20))
        .until(() -> remotes.stream().allMatch(RmbPeer::isConnected));
  }

  private static String entry(long id, String secret) {
    return "{\"id\":" + id + ",\"account\":\""
        + Identity.fromSecret(secret, KeyType.SR25519).ss58() + "\",\"relay\":\"localhost\"}";
  }

  public String relayUrl() {
    return "ws://127.0.0.1:" + relay.port();
  }

  /** Peer options of the gateway's twin. */
  public RmbPeerOptions gatewayPeer() {
    return RmbPeerOptions.builder().identity(Identity.fromSecret("//Alice", KeyType.SR25519))
        .twin(GATEWAY).relays(relayUrl()).twins(new FileTwinDirectory(twins)).build();
  }

  /** The remote peer of twin {@code id}. */
  public RmbPeer remote(long id) {
    return remotes.stream().filter(p -> p.twin() == id).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    remotes.forEach(RmbPeer::close);
    relay.close();
    slow.shutdownNow();
  }
}
