package io.rmb.cli;

import static org.awaitility.Awaitility.await;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import io.rmb.relay.federation.FederationOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.util.encoders.Hex;

/**
 * The fault tests' network on loopback: two federating relays {@code a.local} (the one the
 * tests stop and start again, on the same port) and {@code b.local}; twin 7 (//Alice, the
 * gateway's or bridge's twin) and echo twins 8 (ed25519 with an e2e key) and 9 (//Bob), all
 * listing both relays and connected to both. {@link #dropRelayAOfTwin9()} rewrites the twins
 * file so that twin 9 lists only {@code b.local}: the relays read the file directly (no
 * cache, re-read within a second of a change), so from then on relay A must federate
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
  private final List<RmbPeer> echoes;

  ChaosNet(Path dir) throws Exception {
    twins = dir.resolve("twins.json");
    writeTwins("a.local_b.local");
    relayA = relay("a.local", 0);
    portA = relayA.port();
    ports.put("a.local", portA);
    relayB = relay("b.local", 0);
    ports.put("b.local", relayB.port());
    echoes = List.of(echo(echo8, ECHO_8), echo(echo9, ECHO_9));
    await().atMost(Duration.ofSeconds(30))
        .until(() -> echoes.stream().allMatch(RmbPeer::isConnected));
  }

  /** Relay URLs in the order peers use them (the first connected one carries the sends). */
  String[] relayUrls() {
    return new String[] {"ws://127.0.0.1:" + portA, "ws://127.0.0.1:" + relayB.port()};
  }

  /** Stops relay A at once (no grace for sessions): its in-memory queue is gone. */
  void killRelayA() {
    relayA.close();
  }

  /** Starts relay A again on its port, empty. */
  void restartRelayA() {
    // the old port may linger briefly in the kernel after close: retry until it binds
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> {
          relayA = relay("a.local", portA);
          return true;
        });
  }

  /** The twin directory changes mid-run: twin 9 no longer lists relay A. */
  void dropRelayAOfTwin9() throws Exception {
    writeTwins("b.local");
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
    return RelayServer.start(RelayOptions.builder().listen("127.0.0.1", port).domain(domain)
        .twins(new FileTwinDirectory(twins)).shutdownTimeout(Duration.ZERO)
        .federation(FederationOptions.builder().scheme("http")
            .retryDelay(Duration.ofMillis(200), Duration.ofSeconds(2))
            .endpoints(d -> URI.create("http://127.0.0.1:" + ports.get(d) + "/")).build())
        .build());
  }

  private RmbPeer echo(Identity identity, long twin) {
    return RmbPeer.create(RmbPeerOptions.builder().identity(identity).twin(twin)
        .relays(relayUrls()).twins(new FileTwinDirectory(twins)).build())
        .handleOthers(ServeEchoCommand.ECHO).start();
  }

  @Override
  public void close() {
    echoes.forEach(RmbPeer::close);
    relayA.close();
    relayB.close();
  }
}
