package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rmb call} against a real relay and an echo twin (the serve-echo handler). */
class CallCommandIT {
  private static final String ECHO_SECRET =
      "tackle blouse grain dawn adult loyal tattoo price access tilt chimney silk";

  @TempDir static Path dir;
  private static Path twins;
  private static RelayServer relay;
  private static RmbPeer echo;

  @BeforeAll
  static void start() throws Exception {
    Identity alice = Identity.fromSecret("//Alice", KeyType.SR25519);
    Identity echoTwin = Identity.fromSecret(ECHO_SECRET, KeyType.ED25519);
    twins = dir.resolve("twins.json");
    Files.writeString(twins, "[{\"id\":7,\"account\":\"" + alice.ss58() + "\",\"relay\":\"localhost\"},"
        + "{\"id\":8,\"account\":\"" + echoTwin.ss58() + "\",\"relay\":\"localhost\",\"pk\":\"0x"
        + org.bouncycastle.util.encoders.Hex.toHexString(echoTwin.e2ePublicKey().orElseThrow())
        + "\"}]");
    relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0").domain("localhost")
        .twinsFile(twins).build());
    echo = RmbPeer.create(RmbPeerOptions.builder().identity(echoTwin).twin(8)
        .relays(relayUrl()).twins(new FileTwinDirectory(twins)).build())
        .handleOthers(ServeEchoCommand.ECHO).start();
    await().atMost(Duration.ofSeconds(20)).until(echo::isConnected);
  }

  @AfterAll
  static void stop() {
    echo.close();
    relay.close();
  }

  private static String relayUrl() {
    return "ws://127.0.0.1:" + relay.port();
  }

  @Test
  void printsOneOutcomePerDestinationAndFindsOurTwinByAccount() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("call", "-m", "//Alice", "--relay", relayUrl(), "--twins",
        twins.toString(), "--dst", "8", "--dst", "99", "--cmd", "test.echo", "--data",
        "{\"hello\":1}", "--timeout", "10");

    List<String> lines = out.toString().lines().toList();
    assertThat(lines).as("stderr: %s", err).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode answered = json.readTree(lines.get(0));
    JsonNode unknown = json.readTree(lines.get(1));
    assertThat(answered.get("twin").asLong()).isEqualTo(8);
    assertThat(answered.get("status").asText()).isEqualTo("response");
    assertThat(answered.get("data").asText()).isEqualTo("{\"hello\":1}");
    assertThat(unknown.get("status").asText()).isEqualTo("error");
    assertThat(unknown.get("code").asLong()).isEqualTo(103);
    assertThat(code).as("not every destination answered").isEqualTo(1);
  }

  @Test
  void anAccountWithoutATwinIsAClearError() {
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("call", "-m", "//Charlie", "--relay", relayUrl(), "--twins",
        twins.toString(), "--dst", "8", "--cmd", "x");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("has no twin in").contains("--twin ID");
  }

  @Test
  void moreThanFourRelaysIsRefused() {
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("call", "-m", "//Alice", "--twin", "7", "--twins", twins.toString(),
        "--relay", "ws://a", "--relay", "ws://b", "--relay", "ws://c", "--relay", "ws://d",
        "--relay", "ws://e", "--dst", "8", "--cmd", "x");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("4");
  }
}
