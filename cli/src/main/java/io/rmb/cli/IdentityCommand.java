package io.rmb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import java.util.concurrent.Callable;
import org.bouncycastle.util.encoders.Hex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rmb identity}: shows the keys a secret stands for, as rmb-peer would derive them.
 */
@Command(
    name = "identity",
    mixinStandardHelpOptions = true,
    description = {
        "Prints the keys rmb-peer derives from a secret, as JSON:",
        "  key_type, public_key (hex), ss58, e2e_public_key (hex or null).",
        "SECRET is a BIP39 mnemonic (optionally with //hard/soft///password),",
        "a 0x seed, or a dev URI such as //Alice. A secret with a derivation",
        "path has no e2e (secp256k1) key."},
    footer = {"", "Examples:", "  rmb identity //Alice",
        "  rmb identity --key-type ed25519 \"<twelve words>\"",
        "", "Exit codes: 0 ok, 2 invalid secret or usage."})
final class IdentityCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(names = {"-k", "--key-type"}, paramLabel = "TYPE", defaultValue = "sr25519",
      description = "sr25519 (default) or ed25519.")
  String keyType;

  @Parameters(index = "0", paramLabel = "SECRET", description = "Mnemonic, 0x seed or //Dev URI.")
  String secret;

  @Override
  public Integer call() throws Exception {
    KeyType type = KeyType.fromLabel(keyType);
    Identity identity = Identity.fromSecret(secret, type);
    ObjectNode out = JSON.createObjectNode();
    out.put("key_type", type.label());
    out.put("public_key", Hex.toHexString(identity.publicKey()));
    out.put("ss58", identity.ss58());
    if (identity.e2ePublicKey().isPresent()) {
      out.put("e2e_public_key", Hex.toHexString(identity.e2ePublicKey().get()));
    } else {
      out.putNull("e2e_public_key");
    }
    spec.commandLine().getOut().println(JSON.writeValueAsString(out));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
