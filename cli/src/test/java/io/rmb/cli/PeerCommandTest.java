package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code rmb peer}'s flag errors, reported before anything is contacted. */
class PeerCommandTest {
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    var cli = Rmb.commandLine();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    return cli.execute(args);
  }

  @Test
  void aBadSecretIsAClearError() {
    int code = run("peer", "-m", "these are not twelve valid bip39 words at all", "--twin", "7");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("rmb: ").containsIgnoringCase("mnemonic");
  }

  @Test
  void moreThanFourRelaysAreRefused() {
    int code = run("peer", "-m", "//Alice", "--twin", "7", "--relay", "wss://a.example",
        "--relay", "wss://b.example", "--relay", "wss://c.example", "--relay", "wss://d.example",
        "--relay", "wss://e.example");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("at most 4 relays, got 5");
  }

  @Test
  void aRelayUrlWithoutAHostIsRefused() {
    int code = run("peer", "-m", "//Alice", "--twin", "7", "--relay", "ws:///path");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("relay URL without a host: ws:///path");
  }

  @Test
  void anUnknownKeyTypeIsRefused() {
    int code = run("peer", "-m", "//Alice", "-k", "rsa", "--twin", "7");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("rsa");
  }

  @Test
  void anUploadFlagIsRefusedNotIgnored() {
    // uploads are not part of the Redis API the bridge serves (docs/redis-bridge.md)
    int code = run("peer", "-m", "//Alice", "--twin", "7", "-u", "/tmp/uploads");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("unknown options [-u]");
  }

  @Test
  void rmbPeersFlagsAreAccepted() {
    var parsed = Rmb.commandLine().parseArgs("peer", "-k", "ed25519", "-m", "//Alice", "-r",
        "redis://127.0.0.1:1", "--relay", "wss://r1.example", "-s", "wss://node.example:443",
        "--no-update", "-d", "--twins", "twins.json");

    PeerCommand peer = (PeerCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(peer.keyType).isEqualTo("ed25519");
    assertThat(peer.redis).isEqualTo("redis://127.0.0.1:1");
    assertThat(peer.relays).containsExactly("wss://r1.example");
    assertThat(peer.twins.substrate).containsExactly("wss://node.example:443");
    assertThat(peer.noUpdate).isTrue();
    assertThat(peer.debug).hasSize(1);
  }
}
