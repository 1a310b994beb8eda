package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.substrate.FakeSubstrateNode;
import io.rmb.peer.substrate.SubstrateClient;
import io.rmb.peer.twin.CachingTwinDirectory;
import io.rmb.peer.twin.FakeTfchain;
import io.rmb.peer.twin.PublishOutcome;
import io.rmb.peer.twin.TfchainTwinDirectory;
import io.rmb.peer.twin.Twin;
import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything resolves twins from a fake tfchain node (peer's test-jar): the relay, two
 * {@link RmbPeer}s, {@code rmb call -s URL} (which finds our twin id by account) and
 * serve-echo's twin publisher (which updates our twin on the fake chain).
 */
class TfchainEndToEndIT {
  private static final String ECHO_SECRET =
      "tackle blouse grain dawn adult loyal tattoo price access tilt chimney silk";
  private static final String CALLER_SECRET =
      "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

  private static final Identity ALICE = Identity.fromSecret("//Alice", KeyType.SR25519);
  private static final Identity ECHO = Identity.fromSecret(ECHO_SECRET, KeyType.ED25519);
  private static final Identity CALLER = Identity.fromSecret(CALLER_SECRET, KeyType.SR25519);

  private static FakeSubstrateNode node;
  private static final List<SubstrateClient> clients = new ArrayList<>();
  private static RelayServer relay;
  private static RmbPeer echo;
  private static RmbPeer caller;

  @BeforeAll
  static void start() throws Exception {
    node = FakeSubstrateNode.start();
    FakeTfchain.install(node);
    FakeTfchain.putTwin(node, new Twin(7, ALICE.publicKey(), Set.of("localhost"), null));
    FakeTfchain.putTwin(node, new Twin(8, ECHO.publicKey(), Set.of("localhost"),
        ECHO.e2ePublicKey().orElseThrow()));
    FakeTfchain.putTwin(node, new Twin(9, CALLER.publicKey(), Set.of("localhost"),
        CALLER.e2ePublicKey().orElseThrow()));

    relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0").domain("localhost")
        .twins(chainDirectory()).build());
    echo = RmbPeer.create(RmbPeerOptions.builder().identity(ECHO).twin(8).relays(relayUrl())
        .twins(chainDirectory()).build()).handleOthers(ServeEchoCommand.ECHO).start();
    caller = RmbPeer.create(RmbPeerOptions.builder().identity(CALLER).twin(9).relays(relayUrl())
        .twins(chainDirectory()).build()).start();
    await().atMost(Duration.ofSeconds(20)).until(() -> echo.isConnected() && caller.isConnected());
  }

  private static CachingTwinDirectory chainDirectory() {
    SubstrateClient client = SubstrateClient.create(node.wsUrl());
    clients.add(client);
    return new CachingTwinDirectory(new TfchainTwinDirectory(client));
  }

  @AfterAll
  static void stop() throws Exception {
    if (caller != null) {
      caller.close();
    }
    if (echo != null) {
      echo.close();
    }
    if (relay != null) {
      relay.close();
    }
    clients.forEach(SubstrateClient::close);
    node.close();
  }

  private static String relayUrl() {
    return "ws://127.0.0.1:" + relay.port();
  }

  @Test
  void aRequestGoesThroughWithTwinsFromTheChain() {
    List<Outcome> outcomes = caller.request(List.of(8L), "test.echo",
        "ping".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(15)).all().join();

    assertThat(outcomes).hasSize(1);
    Outcome outcome = outcomes.get(0);
    assertThat(outcome).as(outcome.toString()).isInstanceOf(Outcome.Response.class);
    assertThat(((Outcome.Response) outcome).payloadText()).isEqualTo("ping");
    assertThat(outcome.twin()).isEqualTo(8);
  }

  @Test
  void rmbCallFindsOurTwinByAccountOnTheChain() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("call", "-m", "//Alice", "--relay", relayUrl(), "-s", node.wsUrl(),
        "--dst", "8", "--cmd", "test.echo", "--data", "{\"hello\":1}", "--timeout", "15");

    List<String> lines = out.toString().lines().toList();
    assertThat(lines).as("stderr: %s", err).hasSize(1);
    JsonNode answered = new ObjectMapper().readTree(lines.get(0));
    assertThat(answered.get("twin").asLong()).isEqualTo(8);
    assertThat(answered.get("status").asText()).isEqualTo("response");
    assertThat(answered.get("data").asText()).isEqualTo("{\"hello\":1}");
    assertThat(code).as("stderr: %s", err).isZero();
  }

  @Test
  void rmbCallWithAnAccountWithoutATwinOnTheChainIsAClearError() {
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("call", "-m", "//Charlie", "--relay", relayUrl(), "-s", node.wsUrl(),
        "--dst", "8", "--cmd", "x");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("has no twin in tfchain");
  }

  @Test
  void serveEchoPublishesOurRelaysOnTheChain() throws Exception {
    // Alice's twin 7 has relay "localhost" and no pk; keep "localhost" so it stays reachable
    List<String> relays = List.of("ws://localhost:" + relay.port(), "wss://relay2.example.org/");
    try (TwinSourceOptions source = new TwinSourceOptions()) {
      source.substrate.add(node.wsUrl());
      PublishOutcome outcome = ServeEchoCommand.publishTwin(source, ALICE, relays, false)
          .get(30, TimeUnit.SECONDS);

      assertThat(outcome.status()).as(outcome.toString()).isEqualTo(PublishOutcome.Status.UPDATED);
      assertThat(outcome.twinId()).isEqualTo(OptionalLong.of(7));
    }
    Twin onChain = FakeTfchain.twin(node, 7).orElseThrow();
    assertThat(onChain.relays()).containsExactlyInAnyOrder("localhost", "relay2.example.org");
    assertThat(onChain.publicKey()).isEmpty();
    assertThat(node.nonce(ALICE.ss58())).isEqualTo(1);
  }

  @Test
  void publishingRunsInTheBackground() throws Exception {
    FakeSubstrateNode stuck = FakeSubstrateNode.start();
    try (TwinSourceOptions source = new TwinSourceOptions()) {
      FakeTfchain.install(stuck);
      FakeTfchain.putTwin(stuck, new Twin(9, CALLER.publicKey(), Set.of("old.example.org"), null));
      stuck.finality(FakeSubstrateNode.Finality.NEVER_FINALIZE);
      source.substrate.add(stuck.wsUrl());

      long started = System.nanoTime();
      CompletableFuture<PublishOutcome> outcome =
          ServeEchoCommand.publishTwin(source, CALLER, List.of("ws://localhost:1"), false);

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
      assertThat(outcome).isNotDone();
      await().atMost(Duration.ofSeconds(20)).until(() -> stuck.submissions() == 1);
      assertThat(outcome).isNotDone(); // still waiting for finalization; start-up went on
    } finally {
      stuck.close();
    }
  }

  @Test
  void publishingIsSkippedWithNoUpdateOrATwinsFile(@TempDir Path dir) throws Exception {
    try (TwinSourceOptions source = new TwinSourceOptions()) {
      source.substrate.add(node.wsUrl());
      assertThat(ServeEchoCommand.publishTwin(source, ALICE, List.of(relayUrl()), true)
          .get(1, TimeUnit.SECONDS).status()).isEqualTo(PublishOutcome.Status.SKIPPED);
    }
    Path twins = Files.writeString(dir.resolve("twins.json"), "[]");
    try (TwinSourceOptions source = new TwinSourceOptions()) {
      source.twinsFile = twins;
      assertThat(ServeEchoCommand.publishTwin(source, ALICE, List.of(relayUrl()), false)
          .get(1, TimeUnit.SECONDS).status()).isEqualTo(PublishOutcome.Status.SKIPPED);
    }
    assertThat(ServeEchoCommand.relayDomains(List.of("wss://a.example.org:443/", "ws://b:8080",
        "wss://a.example.org"))).containsExactly("a.example.org", "b");
  }
}
