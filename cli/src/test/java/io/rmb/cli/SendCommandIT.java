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
import io.rmb.streams.GatewayConfig;
import io.rmb.streams.StreamsGateway;
import io.rmb.streams.avro.StandInRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rmb send} and {@code rmb streams} against a gateway on an embedded broker. */
class SendCommandIT {
  @TempDir static Path dir;
  private static EmbeddedKafka kafka;
  private static RelayServer relay;
  private static RmbPeer echo;
  private static StreamsGateway gateway;
  /** A second gateway (twin 9) whose user topics are Avro, on its own topics. */
  private static StreamsGateway avroGateway;
  private static StandInRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    Identity gatewayId = Identity.fromSecret("//Alice", KeyType.SR25519);
    Identity echoId = Identity.fromSecret("//Bob", KeyType.SR25519);
    Path twins = dir.resolve("twins.json");
    Identity avroGatewayId = Identity.fromSecret("//Charlie", KeyType.SR25519);
    DevFiles.writeTwins(twins, Map.of(7L, gatewayId, 8L, echoId, 9L, avroGatewayId));
    kafka = EmbeddedKafka.start(Files.createDirectories(dir.resolve("kafka")));
    relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0").domain("localhost")
        .twinsFile(twins).build());
    String relayUrl = "ws://127.0.0.1:" + relay.port();
    echo = RmbPeer.create(RmbPeerOptions.builder().identity(echoId).twin(8).relays(relayUrl)
        .twins(new FileTwinDirectory(twins)).build()).handleOthers(ServeEchoCommand.ECHO).start();
    gateway = StreamsGateway.start(GatewayConfig.load(Optional.empty(), Map.of(), Map.of(
        "bootstrap.servers", kafka.bootstrapServers(), "state.dir", dir.resolve("state")
            .toString(), "rmb.topics.partitions", "1")), RmbPeerOptions.builder()
        .identity(gatewayId).twin(7).relays(relayUrl).twins(new FileTwinDirectory(twins))
        .build());
    registry = new StandInRegistry();
    Map<String, String> avro = new HashMap<>(Map.of("bootstrap.servers",
        kafka.bootstrapServers(), "application.id", "send-avro", "state.dir",
        dir.resolve("state-avro").toString(), "rmb.topics.partitions", "1",
        GatewayConfig.VALUE_FORMAT, "avro", GatewayConfig.SCHEMA_REGISTRY_URL, registry.url()));
    for (String topic : new String[] {"requests", "responses", "incoming", "replies", "dlq",
        "answers", "incoming.index"}) {
      avro.put("rmb.topic." + topic, "avro." + topic);
    }
    avroGateway = StreamsGateway.start(GatewayConfig.load(Optional.empty(), Map.of(), avro),
        RmbPeerOptions.builder().identity(avroGatewayId).twin(9).relays(relayUrl)
            .twins(new FileTwinDirectory(twins)).build());
    await().atMost(Duration.ofSeconds(90)).until(() -> gateway.isReady() && echo.isConnected()
        && avroGateway.isReady());
  }

  @AfterAll
  static void stop() {
    avroGateway.close();
    registry.close();
    gateway.close();
    echo.close();
    relay.close();
    kafka.close();
  }

  @Test
  void sendPrintsOneOutcomePerDestination() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("send", "--bootstrap-servers", kafka.bootstrapServers(), "--dst",
        "8", "--dst", "99", "--cmd", "test.echo", "--data", "{\"hello\":1}", "--ref", "s-1",
        "--timeout", "20");

    List<String> lines = out.toString().lines().toList();
    assertThat(lines).as("stderr: %s", err).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode echoed = lines.stream().map(l -> read(json, l))
        .filter(n -> n.get("src").asText().equals("8")).findFirst().orElseThrow();
    JsonNode unknown = lines.stream().map(l -> read(json, l))
        .filter(n -> n.get("src").asText().equals("99")).findFirst().orElseThrow();
    assertThat(echoed.get("ref").asText()).isEqualTo("s-1");
    assertThat(echoed.get("status").asText()).isEqualTo("response");
    assertThat(echoed.get("json").get("hello").asInt()).isEqualTo(1);
    assertThat(unknown.get("err").get("code").asLong()).isEqualTo(103);
    assertThat(code).as("one destination failed").isEqualTo(1);
  }

  @Test
  void sendExitsZeroWhenEveryDestinationAnswered() {
    StringWriter out = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setOut(new PrintWriter(out));

    int code = cli.execute("send", "-b", kafka.bootstrapServers(), "--dst", "8", "--cmd",
        "test.echo", "--data", "plain text");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("\"status\":\"response\"")
        .contains("\"json\":\"plain text\"");
  }

  @Test
  void sendSpeaksAvroToAnAvroGateway() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("send", "-b", kafka.bootstrapServers(), "--dst", "8", "--cmd",
        "test.echo", "--data", "{\"avro\":true}", "--ref", "a-1", "--requests-topic",
        "avro.requests", "--responses-topic", "avro.responses", "--value-format", "avro",
        "--schema-registry-url", registry.url());

    assertThat(code).as("stdout: %s stderr: %s", out, err).isZero();
    JsonNode outcome = read(new ObjectMapper(), out.toString().strip());
    assertThat(outcome.get("ref").asText()).isEqualTo("a-1");
    assertThat(outcome.get("status").asText()).isEqualTo("response");
    assertThat(outcome.get("json").get("avro").asBoolean()).isTrue();
    // the request was Avro on the wire: its schema is registered under the topic's subject
    assertThat(registry.artifacts).contains("avro.requests-value");
  }

  @Test
  void sendRefusesAvroWithoutARegistry() {
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("send", "-b", kafka.bootstrapServers(), "--dst", "8", "--cmd",
        "test.echo", "--value-format", "avro");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--schema-registry-url");
  }

  @Test
  void streamsWithoutBootstrapServersIsAClearError() {
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("streams", "-m", "//Alice", "--twin", "7", "--relay",
        "ws://127.0.0.1:1", "--twins", dir.resolve("twins.json").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("bootstrap.servers is required");
  }

  private static JsonNode read(ObjectMapper json, String line) {
    try {
      return json.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
