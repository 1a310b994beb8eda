package io.rmb.cli;

import static org.awaitility.Awaitility.await;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.bouncycastle.util.encoders.Hex;

/**
 * The CLI ITs' private network on loopback: a relay, a twins file with //Alice (sr25519, no e2e
 * key) as twin 7 and an ed25519 echo twin 8 with an e2e key, and that echo twin answering
 * every command with its payload ({@link ServeEchoCommand#ECHO}).
 */
final class EchoNet implements AutoCloseable {
  static final String ECHO_SECRET =
      "tackle blouse grain dawn adult loyal tattoo price access tilt chimney silk";

  final Path twins;
  final RelayServer relay;
  final RmbPeer echo;

  EchoNet(Path dir) throws Exception {
    Identity alice = Identity.fromSecret("//Alice", KeyType.SR25519);
    Identity echoTwin = Identity.fromSecret(ECHO_SECRET, KeyType.ED25519);
    twins = dir.resolve("twins.json");
    Files.writeString(twins, "[{\"id\":7,\"account\":\"" + alice.ss58()
        + "\",\"relay\":\"localhost\"},{\"id\":8,\"account\":\"" + echoTwin.ss58()
        + "\",\"relay\":\"localhost\",\"pk\":\"0x"
        + Hex.toHexString(echoTwin.e2ePublicKey().orElseThrow()) + "\"}]");
    relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0").domain("localhost")
        .twinsFile(twins).build());
    echo = RmbPeer.create(RmbPeerOptions.builder().identity(echoTwin).twin(8)
        .relays(relayUrl()).twins(new FileTwinDirectory(twins)).build())
        .handleOthers(ServeEchoCommand.ECHO).start();
    await().atMost(Duration.ofSeconds(20)).until(echo::isConnected);
  }

  String relayUrl() {
    return "ws://127.0.0.1:" + relay.port();
  }

  @Override
  public void close() {
    echo.close();
    relay.close();
  }
}
