package io.rmb.cli;

import static org.awaitility.Awaitility.await;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import io.rmb.relay.stats.RelayStats;
import io.rmb.relay.federation.FederationOptions;
import io.rmb.relay.redis.RedisOptions;
import io.rmb.testing.RedisServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.util.encoders.Hex;

/**
 * The fault tests' network on loopback: two federating relays {@code a.local} (the one the
 * tests stop and start again, on the same port) and {@code b.local}, each keeping its offline
 * and federation queues in Redis as deployed (one redis-server with AOF, a key prefix per
 * relay), so a killed relay A finds its queue again when it restarts; twin 7 (//Alice, the
 * gateway's or bridge's twin) and echo twins 8 (ed25519 with an e2e key) and 9 (//Bob), all
 * listing both relays and connected to both. {@link #dropRelayAOfTwin9()} moves twin 9 to
 * relay B only, as its operator would: the twins file lists only {@code b.local}, then twin
 * 9's peer is restarted connected to relay B only, so from then on relay A must federate
 * envelopes for twin 9 to relay B.
 */
final class ChaosNet implements AutoCloseable {
  static final long CALLER = 7;
  static final long ECHO_8 = 8;
  static final long ECHO_9 = 9;

  final Path twins;
  private final Identity echo8 = Identity.fromSecret(EchoNet.ECHO_SECRET, KeyType.ED25519);
  private final Identity echo9 = Identity.fromSecret("//Bob", KeyType.SR25519);
  private final Map<String, Integer> ports = new ConcurrentHashMap<>();
  private final int portA;
  private final RelayServer relayB;
  private volatile RelayServer relayA;
  private final List<RmbPeer> echoes = new CopyOnWriteArrayList<>();
  /** The relays' directories, so a test can make them re-read the file at once. */
  private final List<FileTwinDirectory> relayDirectories = new CopyOnWriteArrayList<>();
  private final RedisServer relayRedis;

  ChaosNet(Path dir) throws Exception {
    twins = dir.resolve("twins.json");
    writeTwins("a.local_b.local");
    relayRedis = RedisServer.startWithAof();
    relayA = relay("a.local", 0);
    portA = relayA.port();
    ports.put("a.local", portA);
    relayB = relay("b.local", 0);
    ports.put("b.local", relayB.port());
    echoes.add(echo(echo8, ECHO_8, relayUrls()));
    echoes.add(echo(echo9, ECHO_9, relayUrls()));
    await().atMost(Duration.ofSeconds(30))
        .until(() -> echoes.stream().allMatch(RmbPeer::isConnected));
  }

  /** Relay URLs in the order peers use them (the first connected one carries the sends). */
  String[] relayUrls() {
    return new String[] {"ws://127.0.0.1:" + portA, "ws://127.0.0.1:" + relayB.port()};
  }

  /**
   * Stops relay A at once (no grace for sessions); what it queued stays in its Redis, but what
   * it had taken from a socket and not yet routed is lost with it.
   */
  void killRelayA() {
    relayA.close();
  }

  /** Starts relay A again on its port, on the queue it left in Redis. */
  void restartRelayA() {
    // the old port may linger briefly in the kernel after close: retry until it binds
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> {
          relayA = relay("a.local", portA);
          return true;
        });
  }

  /**
   * Twin 9 leaves relay A mid-run: the twins file lists only {@code b.local} and the relays
   * see it at once, then twin 9's peer is restarted on relay B alone. Why both: a relay
   * delivers to a session connected to it before it looks the twin up (wire.md section 6), so
   * a twin still connected to relay A keeps getting its envelopes there and nothing is ever
   * federated; an operator who changes the twin's relay on chain also stops connecting it to
   * the old relay. The old peer drains its handler replies before it closes.
   */
  void dropRelayAOfTwin9() throws Exception {
    writeTwins("b.local");
    // the relays re-read the file at most once a second; until they see it, relay A would
    // queue twin 9's envelopes for a session that will not come back (lost until they expire)
    await().atMost(Duration.ofSeconds(30)).until(() -> relayDirectories.stream().allMatch(
        d -> d.get(ECHO_9).join().orElseThrow().relays().equals(java.util.Set.of("b.local"))));
    RmbPeer old = echoes.stream().filter(p -> p.twin() == ECHO_9).findFirst().orElseThrow();
    long closedBefore = closedSessions(relayA);
    // after a relay A kill the peer may still be waiting to reconnect to it: then relay A
    // holds no session of twin 9 and none will close
    boolean onRelayA = old.stats().relays().stream().anyMatch(r -> r.state()
        == io.rmb.peer.transport.RelayState.CONNECTED
        && r.endpoint().port() == relayA.port());
    old.close();
    echoes.remove(old);
    // likewise an envelope handed to a session relay A still holds would go back to its
    // queue; closes are counted, not open sessions, as others may connect meanwhile
    if (onRelayA) {
      await().atMost(Duration.ofSeconds(30))
          .until(() -> closedSessions(relayA) > closedBefore);
    }
    RmbPeer moved = echo(echo9, ECHO_9, "ws://127.0.0.1:" + relayB.port());
    echoes.add(moved);
    await().atMost(Duration.ofSeconds(30)).until(moved::isConnected);
  }

  private static long closedSessions(RelayServer relay) {
    RelayStats stats = relay.stats();
    return stats.sessionsOpened() - stats.sessionsOpen();
  }

  /** Closes echo twin 8 and waits until relay A no longer holds its session. */
  void stopEcho8() {
    RmbPeer echo = echoes.stream().filter(p -> p.twin() == ECHO_8).findFirst().orElseThrow();
    long before = relayA.stats().sessionsOpen();
    echo.close();
    echoes.remove(echo);
    await().atMost(Duration.ofSeconds(30)).until(() -> relayA.stats().sessionsOpen() < before);
  }

  /** Starts echo twin 8 again on both relays. */
  void startEcho8() {
    RmbPeer echo = echo(echo8, ECHO_8, relayUrls());
    echoes.add(echo);
    await().atMost(Duration.ofSeconds(30)).until(echo::isConnected);
  }

  /** Relay B. */
  RelayServer relayB() {
    return relayB;
  }

  /** Relay A as it runs now (a new instance after each restart). */
  RelayServer relayA() {
    return relayA;
  }

  private void writeTwins(String relaysOf9) throws Exception {
    Identity caller = Identity.fromSecret("//Alice", KeyType.SR25519);
    String json = "[{\"id\":7,\"account\":\"" + caller.ss58() + "\",\"relay\":\"a.local_b.local\"},"
        + "{\"id\":8,\"account\":\"" + echo8.ss58() + "\",\"relay\":\"a.local_b.local\",\"pk\":\"0x"
        + Hex.toHexString(echo8.e2ePublicKey().orElseThrow()) + "\"},"
        + "{\"id\":9,\"account\":\"" + echo9.ss58() + "\",\"relay\":\"" + relaysOf9 + "\"}]";
    Path tmp = twins.resolveSibling("twins.json.tmp");
    Files.writeString(tmp, json);
    // atomic: a reader never sees a half-written file
    Files.move(tmp, twins, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private RelayServer relay(String domain, int port) {
    FileTwinDirectory directory = new FileTwinDirectory(twins);
    relayDirectories.add(directory);
    return RelayServer.start(RelayOptions.builder().listen("127.0.0.1", port).domain(domain)
        .twins(directory).shutdownTimeout(Duration.ZERO)
        .redis(RedisOptions.builder(relayRedis.uri()).prefix(domain + ".").build())
        .federation(FederationOptions.builder().scheme("http")
            .retryDelay(Duration.ofMillis(200), Duration.ofSeconds(2))
            .endpoints(d -> URI.create("http://127.0.0.1:" + ports.get(d) + "/")).build())
        .build());
  }

  private RmbPeer echo(Identity identity, long twin, String... relays) {
    return RmbPeer.create(RmbPeerOptions.builder().identity(identity).twin(twin)
        .relays(relays).twins(new FileTwinDirectory(twins)).build())
        .handleOthers(ServeEchoCommand.ECHO).start();
  }

  @Override
  public void close() {
    echoes.forEach(RmbPeer::close);
    relayA.close();
    relayB.close();
    relayRedis.close();
  }
}
