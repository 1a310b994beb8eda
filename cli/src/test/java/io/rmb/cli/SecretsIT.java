package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;
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
import io.rmb.testing.RedisServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never leave the process: the real {@code rmb} commands, each in its own JVM as a user
 * runs them, with a known mnemonic and a known {@code 0x} seed; everything they print or log
 * (with {@code --debug}), their error messages (a mistyped word, a bad checksum, an unquoted
 * mnemonic, a config error), {@code --help}, and what {@code rmb peer} serves on /metrics,
 * /health and /ready are searched for the secret, any two of its words in a row, the mistyped
 * word and the seed's hex.
 */
class SecretsIT {
  // a BIP39 test vector: a valid mnemonic whose words are unlikely in any help text
  private static final String MNEMONIC =
      "scheme spot photo card baby mountain device kick cradle pact join borrow";
  private static final String MISTYPED = MNEMONIC.replace("mountain", "mountian");
  private static final String SEED_HEX =
      "5d6f3c1e8b2a4f7e9c0d1b2a3f4e5d6c7b8a9f0e1d2c3b4a5968778695a4b3c2";
  private static final long SECRET_TWIN = 31;
  private static final long SEED_TWIN = 32;
  private static final long ECHO_TWIN = 33;

  @TempDir static Path dir;
  private static Path twins;
  private static RelayServer relay;
  private static RmbPeer echo;
  private static RedisServer redis;

  @BeforeAll
  static void start() throws Exception {
    Identity secret = Identity.fromSecret(MNEMONIC, KeyType.SR25519);
    Identity seed = Identity.fromSecret("0x" + SEED_HEX, KeyType.SR25519);
    Identity echoId = Identity.fromSecret("//Bob", KeyType.ED25519);
    twins = dir.resolve("twins.json");
    Files.writeString(twins, "[" + twin(SECRET_TWIN, secret) + "," + twin(SEED_TWIN, seed) + ","
        + twin(ECHO_TWIN, echoId) + "]");
    relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0").domain("localhost")
        .twinsFile(twins).build());
    echo = RmbPeer.create(RmbPeerOptions.builder().identity(echoId).twin(ECHO_TWIN)
        .relays(relayUrl()).twins(new FileTwinDirectory(twins)).build())
        .handleOthers(RequestHandler.sync(request -> Reply.of(request.payload(), null)))
        .start();
    await().atMost(Duration.ofSeconds(30)).until(echo::isConnected);
    redis = RedisServer.start();
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
    echo.close();
    relay.close();
  }

  private static String twin(long id, Identity identity) {
    return "{\"id\":" + id + ",\"account\":\"" + identity.ss58() + "\",\"relay\":\"localhost\""
        + identity.e2ePublicKey().map(pk -> ",\"pk\":\"0x" + Hex.toHexString(pk) + "\"")
            .orElse("") + "}";
  }

  private static String relayUrl() {
    return "ws://127.0.0.1:" + relay.port();
  }

  /** Fails when {@code text} holds the secret, two of its words in a row or the seed. */
  private static void assertNoSecret(String where, String text) {
    assertThat(text).as(where).isNotNull();
    String[] words = MNEMONIC.split(" ");
    for (int i = 0; i + 1 < words.length; i++) {
      assertThat(text).as("%s must not show the mnemonic", where)
          .doesNotContain(words[i] + " " + words[i + 1]);
    }
    assertThat(text).as("%s must not show a mistyped secret word", where)
        .doesNotContain("mountian");
    assertThat(text).as("%s must not show the seed", where).doesNotContainIgnoringCase(SEED_HEX);
  }

  /** Runs {@code rmb args...} in its own JVM; stdout and stderr (logs included) together. */
  private static Run rmb(String... args) throws Exception {
    Path log = Files.createTempFile(dir, "rmb-", ".log");
    Process process = start(log, args);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("rmb " + args[0] + " did not finish: " + Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log));
  }

  private static Process start(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), "io.rmb.cli.Rmb"));
    cmd.addAll(Arrays.asList(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  private record Run(int code, String output) {}

  @Test
  void callWithAMnemonicOrASeedPrintsNeither() throws Exception {
    Run mnemonic = rmb("call", "-m", MNEMONIC, "--relay", relayUrl(), "--twins",
        twins.toString(), "--dst", "" + ECHO_TWIN, "--dst", "99", "--cmd", "test.echo",
        "--data", "hi", "--timeout", "20");
    Run seed = rmb("call", "-m", "0x" + SEED_HEX, "--twin", "" + SEED_TWIN, "--relay",
        relayUrl(), "--twins", twins.toString(), "--dst", "" + ECHO_TWIN, "--cmd", "test.echo",
        "--data", "hi", "--timeout", "20");

    assertThat(mnemonic.output()).contains("\"status\":\"response\"").contains("103");
    assertThat(seed.output()).contains("\"status\":\"response\"");
    assertNoSecret("rmb call -m <mnemonic>", mnemonic.output());
    assertNoSecret("rmb call -m 0x<seed>", seed.output());
  }

  @Test
  void badSecretsAreExplainedWithoutBeingEchoed() throws Exception {
    Run mistyped = rmb("call", "-m", MISTYPED, "--relay", relayUrl(), "--twins",
        twins.toString(), "--dst", "1", "--cmd", "x");
    String[] words = MNEMONIC.split(" ");
    String swapped = String.join(" ", Arrays.copyOfRange(words, 1, words.length)) + " "
        + words[0];
    Run checksum = rmb("call", "-m", swapped, "--relay", relayUrl(), "--twins",
        twins.toString(), "--dst", "1", "--cmd", "x");
    Run badSeed = rmb("identity", "0x" + SEED_HEX.substring(2) + "zz");

    assertThat(mistyped.code()).isEqualTo(2);
    assertThat(mistyped.output()).contains("unknown mnemonic word at position 6");
    assertThat(checksum.code()).isEqualTo(2);
    assertThat(checksum.output()).contains("checksum");
    assertThat(badSeed.code()).isEqualTo(2);
    assertThat(badSeed.output()).contains("non-hex");
    assertNoSecret("a mistyped word", mistyped.output());
    assertNoSecret("a bad checksum", checksum.output());
    assertThat(badSeed.output()).doesNotContain(SEED_HEX.substring(2, 40));
  }

  @Test
  void anUnquotedMnemonicIsNotEchoedByTheArgumentParser() throws Exception {
    List<String> args = new ArrayList<>(List.of("call", "-m"));
    args.addAll(Arrays.asList(MNEMONIC.split(" ")));
    args.addAll(List.of("--relay", relayUrl(), "--dst", "1", "--cmd", "x", "--dtz", "2"));

    Run run = rmb(args.toArray(String[]::new));

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.output()).contains("not shown").contains("--dtz")
        .contains("quote a mnemonic");
    assertThat(run.output()).doesNotContain("spot").doesNotContain("borrow");
    assertNoSecret("an unquoted mnemonic", run.output());
  }

  @Test
  void peerWithDebugLogsAndMetricsShowsNoSecret() throws Exception {
    int adminPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      adminPort = socket.getLocalPort();
    }
    Path log = dir.resolve("peer.log");
    Process peer = start(log, "peer", "-m", MNEMONIC, "-d", "--relay", relayUrl(), "--twins",
        twins.toString(), "-r", redis.uri(), "--no-update", "--admin", "127.0.0.1:" + adminPort);
    try {
      // the command's own line comes once the admin endpoint listens (the bridge logs an
      // earlier "serving rmb-peer's Redis queues" before it is started)
      await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(log)
          .contains("; admin on http://"));
      HttpClient http = HttpClient.newHttpClient();
      StringBuilder served = new StringBuilder();
      for (String path : List.of("/metrics", "/health", "/ready")) {
        served.append(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + adminPort + path)).build(), HttpResponse.BodyHandlers.ofString()).body());
      }

      assertThat(served).contains("rmb_peer"); // the metrics are really there
      assertThat(Files.readString(log)).contains("DEBUG"); // and so are the debug logs
      assertNoSecret("rmb peer /metrics, /health, /ready", served.toString());
    } finally {
      peer.destroy();
      peer.waitFor(30, TimeUnit.SECONDS);
      peer.destroyForcibly();
    }
    assertNoSecret("rmb peer -d output", Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void streamsConfigErrorsAndHelpShowNoSecret() throws Exception {
    Path config = dir.resolve("gateway.properties");
    Files.writeString(config, "application.id=secrets\n"); // no bootstrap.servers: an error
    Run streams = rmb("streams", "-m", MNEMONIC, "--relay", relayUrl(), "--twins",
        twins.toString(), "--config", config.toString());

    assertThat(streams.code()).isNotZero();
    assertNoSecret("rmb streams with a bad config", streams.output());
    List<String[]> helps = new ArrayList<>();
    for (String command : List.of("identity", "relay", "call", "serve-echo", "peer", "streams",
        "dev", "send")) {
      helps.add(new String[] {command, "--help"});
    }
    for (String command : List.of("call", "serve-echo", "peer", "streams")) {
      helps.add(new String[] {command, "-m", MNEMONIC, "--help"}); // help after a secret
    }
    for (String[] args : helps) {
      StringWriter out = new StringWriter();
      var cli = Rmb.commandLine();
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(out));
      cli.execute(args);
      assertThat(out.toString()).as(String.join(" ", args)).contains("Usage");
      assertNoSecret("rmb " + String.join(" ", args), out.toString());
    }
  }
}
