package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.IncomingRequest;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RequestHandler;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Interoperability with an implementation nobody here wrote: the official TypeScript client
 * {@code @threefold/rmb_direct_client} (exact version pinned in {@code src/test/ts-interop}),
 * run by Node.js as a subprocess. It connects to OUR relay (its own JWT), sends a request to a
 * Java twin ({@link RmbPeer}), and must accept the Java twin's signed (and, when both twins
 * have a {@code pk}, encrypted) response: the client's {@code read} only resolves for a
 * response whose signature {@code verify()} accepted, and decrypts a cipher payload with the
 * Java twin's {@code pk}. The client's tfchain access is replaced by a fake serving the same
 * twins file as the relay and the Java twin (see {@code interop.js}).
 */
class TsClientInteropIT {
  private static final String TS_MNEMONIC =
      "volume behind cable present pull exchange wish loyal avocado snap film increase";
  private static final String JAVA_MNEMONIC =
      "tackle blouse grain dawn adult loyal tattoo price access tilt chimney silk";
  // second pair for the unencrypted runs (a twin is found by account, so accounts must differ)
  private static final String TS_PLAIN_MNEMONIC =
      "bean pair dove rebel artist rocket pact wire matrix gasp daring tube";
  private static final String JAVA_PLAIN_MNEMONIC =
      "lucky dial decade this tank pilot dash price disorder tape appear harbor";
  private static final Duration NODE_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static Path twins;
  private static Path scriptDir;
  private static RelayServer relay;

  @BeforeAll
  static void start() throws Exception {
    scriptDir = scriptDir();
    if (!Files.isDirectory(scriptDir.resolve("node_modules/@threefold/rmb_direct_client"))) {
      fail("the TypeScript client is not installed in " + scriptDir
          + "/node_modules: run `npm ci` in that folder (mvn verify does it unless -Dnode.skip=true)");
    }
    ArrayNode list = JSON.createArrayNode();
    // twins 1..4: encrypted runs (every twin has a pk); 5..8: plain runs (no twin has a pk)
    list.add(twin(1, TS_MNEMONIC, KeyType.SR25519, true));
    list.add(twin(2, JAVA_MNEMONIC, KeyType.SR25519, true));
    list.add(twin(3, TS_MNEMONIC, KeyType.ED25519, true));
    list.add(twin(4, JAVA_MNEMONIC, KeyType.ED25519, true));
    list.add(twin(5, TS_PLAIN_MNEMONIC, KeyType.SR25519, false));
    list.add(twin(6, JAVA_PLAIN_MNEMONIC, KeyType.SR25519, false));
    list.add(twin(7, TS_PLAIN_MNEMONIC, KeyType.ED25519, false));
    list.add(twin(8, JAVA_PLAIN_MNEMONIC, KeyType.ED25519, false));
    twins = dir.resolve("twins.json");
    Files.writeString(twins, JSON.writeValueAsString(list));
    relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0").domain("localhost")
        .twinsFile(twins).build());
  }

  @AfterAll
  static void stop() {
    if (relay != null) {
      relay.close();
    }
  }

  private static ObjectNode twin(long id, String mnemonic, KeyType type, boolean withPk) {
    Identity identity = Identity.fromSecret(mnemonic, type);
    ObjectNode node = JSON.createObjectNode();
    node.put("id", id);
    node.put("account", identity.ss58());
    node.put("relay", "localhost");
    if (withPk) {
      node.put("pk", "0x" + Hex.toHexString(identity.e2ePublicKey().orElseThrow()));
    } else {
      node.putNull("pk");
    }
    return node;
  }

  private static Path scriptDir() {
    String property = System.getProperty("rmb.ts.interop.dir");
    if (property != null && !property.isBlank()) {
      return Paths.get(property).toAbsolutePath().normalize();
    }
    return Paths.get("src/test/ts-interop").toAbsolutePath().normalize();
  }

  @ParameterizedTest(name = "{0} encrypted={1}")
  @CsvSource({
      "SR25519, true,  1, 2, " + TS_MNEMONIC + ", " + JAVA_MNEMONIC,
      "ED25519, true,  3, 4, " + TS_MNEMONIC + ", " + JAVA_MNEMONIC,
      "SR25519, false, 5, 6, " + TS_PLAIN_MNEMONIC + ", " + JAVA_PLAIN_MNEMONIC,
      "ED25519, false, 7, 8, " + TS_PLAIN_MNEMONIC + ", " + JAVA_PLAIN_MNEMONIC,
  })
  void tsClientGetsTheJavaTwinsSignedResponseThroughOurRelay(KeyType type, boolean encrypted,
      long tsTwin, long javaTwin, String tsMnemonic, String javaMnemonic) throws Exception {
    List<IncomingRequest> seen = new CopyOnWriteArrayList<>();
    RequestHandler handler = RequestHandler.sync(request -> {
      seen.add(request);
      ObjectNode answer = JSON.createObjectNode();
      answer.put("from", "java");
      answer.put("twin", javaTwin);
      answer.put("command", request.command());
      try {
        answer.set("got", JSON.readTree(request.payload()));
      } catch (IOException e) {
        answer.put("got_raw", request.payloadText());
      }
      try {
        return Reply.of(JSON.writeValueAsBytes(answer), "application/json");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    String payload = "{\"hello\":\"from ts\",\"n\":" + tsTwin + ",\"utf8\":\"h\u00e9\u00e9\"}";
    String command = "interop.echo";

    try (RmbPeer peer = RmbPeer.create(RmbPeerOptions.builder()
            .identity(Identity.fromSecret(javaMnemonic, type)).twin(javaTwin)
            .relays("ws://127.0.0.1:" + relay.port()).twins(new FileTwinDirectory(twins)).build())
        .handleOthers(handler).start()) {
      await().atMost(Duration.ofSeconds(20)).until(peer::isConnected);

      NodeRun run = runNode("ws://127.0.0.1:" + relay.port(), twins.toString(), tsMnemonic,
          type.name().toLowerCase(Locale.ROOT), Long.toString(javaTwin), command,
          payload);

      assertThat(run.exit).as("node exit; stdout: %s; stderr: %s", run.stdout, run.stderr)
          .isEqualTo(0);
      JsonNode result = lastJsonLine(run.stdout);
      assertThat(result.path("ok").asBoolean()).as("node said: %s; stderr: %s", result, run.stderr)
          .isTrue();

      // the TS client read the Java twin's response: verified signature, our payload back
      assertThat(result.path("verified").asBoolean()).as("%s", result).isTrue();
      assertThat(result.path("signaturePrefix").asText())
          .isEqualTo(type == KeyType.SR25519 ? "s" : "e");
      assertThat(result.path("sourceTwin").asLong()).isEqualTo(javaTwin);
      assertThat(result.path("sentEncrypted").asBoolean()).as("%s", result).isEqualTo(encrypted);
      assertThat(result.path("receivedEncrypted").asBoolean()).as("%s", result)
          .isEqualTo(encrypted);
      JsonNode data = result.path("data");
      assertThat(data.path("from").asText()).isEqualTo("java");
      assertThat(data.path("twin").asLong()).isEqualTo(javaTwin);
      assertThat(data.path("command").asText()).isEqualTo(command);
      assertThat(data.path("got")).isEqualTo(JSON.readTree(payload));

      // the Java twin verified (and decrypted) the TS client's request
      assertThat(seen).hasSize(1);
      IncomingRequest request = seen.get(0);
      assertThat(request.sourceTwin()).isEqualTo(tsTwin);
      assertThat(request.sourceConnection()).contains("tsinterop");
      assertThat(request.command()).isEqualTo(command);
      assertThat(request.payloadText()).isEqualTo(payload);
    }
  }

  private record NodeRun(int exit, String stdout, String stderr) {}

  private static NodeRun runNode(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("node");
    command.add(scriptDir.resolve("interop.js").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(scriptDir.toFile()).start();
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    if (!process.waitFor(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("node did not finish within " + NODE_TIMEOUT + "; stdout: "
          + out.getNow("") + "; stderr: " + err.getNow(""));
    }
    return new NodeRun(process.exitValue(), out.get(5, TimeUnit.SECONDS),
        err.get(5, TimeUnit.SECONDS));
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      try (stream) {
        stream.transferTo(buffer);
      } catch (IOException e) {
        // the process went away; keep what was read
      }
      return buffer.toString(StandardCharsets.UTF_8);
    }, task -> {
      Thread thread = new Thread(task, "ts-interop-drain");
      thread.setDaemon(true);
      thread.start();
    });
  }

  private static JsonNode lastJsonLine(String stdout) throws IOException {
    List<String> lines = stdout.lines().filter(l -> l.startsWith("{")).toList();
    assertThat(lines).as("no JSON line on node's stdout: %s", stdout).isNotEmpty();
    return JSON.readTree(lines.get(lines.size() - 1));
  }
}
