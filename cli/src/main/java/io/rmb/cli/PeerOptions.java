package io.rmb.cli;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.RmbPeerOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** rmb-peer's identity and relay flags, shared by every command that runs a twin. */
final class PeerOptions {
  @Option(names = {"-m", "--mnemonic", "--mnemonics"}, paramLabel = "SECRET", required = true,
      description = "Twin secret: BIP39 mnemonic, 0x seed or //Dev URI.")
  String secret;

  @Option(names = {"-k", "--key-type"}, paramLabel = "TYPE", defaultValue = "sr25519",
      description = "sr25519 (default) or ed25519.")
  String keyType;

  @Option(names = "--relay", paramLabel = "URL", required = true,
      description = "Relay WebSocket URL, ws:// or wss:// (repeatable, at most 4).")
  List<String> relays = new ArrayList<>();

  @Option(names = "--twin", paramLabel = "ID",
      description = "Our twin id (default: looked up by our account).")
  Long twin;

  @Option(names = "--session", paramLabel = "SID",
      description = "Session id, for a second connection of the same twin.")
  String session;

  Identity identity() {
    return Identity.fromSecret(secret, KeyType.fromLabel(keyType));
  }

  /**
   * The runtime options these flags describe: our identity, our twin (resolved by account
   * through {@code source} unless {@code --twin} is given), the relays, the session and the
   * twin directory of {@code source}.
   */
  RmbPeerOptions runtimeOptions(Identity identity, TwinSourceOptions source) {
    long ownTwin = source.resolveOwnTwin(twin, identity.publicKey(), identity.ss58());
    RmbPeerOptions.Builder options = RmbPeerOptions.builder().identity(identity).twin(ownTwin)
        .relays(relays.toArray(String[]::new)).twins(source.directory());
    if (session != null) {
      options.session(session);
    }
    return options.build();
  }
}
