package io.rmb.bridge.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.CachingTwinDirectory;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import io.rmb.testing.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.bouncycastle.util.encoders.Hex;

/**
 * A relay and a twins file for bridge tests: twins 1 (sr25519), 2 (ed25519), 3 (sr25519).
 * Owns what the test gets from it (peers, bridges, redis-servers, Redis clients) and closes
 * all of it, newest first, in {@link #close()}.
 */
final class Network implements AutoCloseable {
  static final String DOMAIN = "relay.local";
  static final Map<Long, Identity> TWINS = Map.of(
      1L, Identity.fromSecret(
          "volume behind cable present pull exchange wish loyal avocado snap film increase",
          KeyType.SR25519),
      2L, Identity.fromSecret(
          "tackle blouse grain dawn adult loyal tattoo price access tilt chimney silk",
          KeyType.ED25519),
      3L, Identity.fromSecret(
          "0x340f7341b312bcc61aeea7a76d759d809b8601cbc6d22cb2817278e346137a5d",
          KeyType.SR25519));

  final Path twinsFile;
  final RelayServer relay;
  private final Deque<AutoCloseable> owned = new ArrayDeque<>();

  Network(Path dir) throws IOException {
    ArrayNode twins = new ObjectMapper().createArrayNode();
    TWINS.forEach((id, identity) -> twins.addObject().put("id", id)
        .put("account", identity.ss58()).put("relay", DOMAIN)
        .put("pk", identity.e2ePublicKey().map(pk -> "0x" + Hex.toHexString(pk)).orElse(null)));
    twinsFile = dir.resolve("twins.json");
    Files.writeString(twinsFile, twins.toString());
    relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0").domain(DOMAIN)
        .twinsFile(twinsFile).build());
  }

  String relayUrl() {
    return "ws://127.0.0.1:" + relay.port();
  }

  /** A peer for {@code twin} (not started), optionally on a session. */
  RmbPeer peer(long twin, String session) {
    RmbPeerOptions.Builder options = RmbPeerOptions.builder().identity(TWINS.get(twin))
        .twin(twin).relays(relayUrl())
        .twins(new CachingTwinDirectory(new FileTwinDirectory(twinsFile)));
    if (session != null) {
      options.session(session);
    }
    return own(RmbPeer.create(options.build()));
  }

  /** A started bridge for {@code twin} with {@code options}. */
  RedisBridge bridge(long twin, RedisBridgeOptions options) throws InterruptedException {
    return own(RedisBridge.create(peer(twin, null), options).start());
  }

  /** A started redis-server on a free port. */
  RedisServer redis() throws Exception {
    return own(RedisServer.start());
  }

  /** A client's commands on {@code redis}, as rmb-peer's clients use it (string values). */
  RedisCommands<String, String> client(RedisServer redis) {
    RedisClient client = RedisClient.create(redis.uri());
    own(client::shutdown);
    return client.connect().sync();
  }

  private <T extends AutoCloseable> T own(T closeable) {
    synchronized (owned) {
      owned.push(closeable);
    }
    return closeable;
  }

  /** A started bridge for {@code twin} on {@code redisUri}. */
  RedisBridge bridge(long twin, String redisUri, SimpleMeterRegistry registry, int maxQueue)
      throws InterruptedException {
    return bridge(twin, RedisBridgeOptions.builder().redisUri(redisUri)
        .meterRegistry(registry).maxQueueLength(maxQueue).version("test-version").build());
  }

  @Override
  public void close() {
    synchronized (owned) {
      while (!owned.isEmpty()) {
        try {
          owned.pop().close();
        } catch (Exception ignored) {
          // best effort: the rest must still be closed
        }
      }
    }
    relay.close();
  }
}
