package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import io.rmb.streams.GatewayConfig;
import io.rmb.streams.StreamsGateway;
import io.rmb.testing.RedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard (docs/grafana/rmb-dashboard.json) against real scrapes: a relay
 * ({@code GET /metrics}), {@code rmb peer} ({@code --admin}) and a Streams gateway
 * ({@code rmb.admin.listen}) carry one request each, then every metric name in the
 * dashboard's queries must appear in one of the three scrapes, and every process's
 * {@code /health} answers 200. The scrapes are written to target/scrape-*.txt.
 */
class DashboardMetricsIT {
  private static final Path DASHBOARD = Path.of("../docs/grafana/rmb-dashboard.json");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir static Path dir;
  private static EmbeddedKafka kafka;
  private static RedisServer redis;
  private static RelayServer relay;
  private static RmbPeer echo;
  private static StreamsGateway gateway;
  private static int peerAdmin;
  private static int echoAdmin;

  @BeforeAll
  static void start() throws Exception {
    Identity gatewayId = Identity.fromSecret("//Alice", KeyType.SR25519);
    Identity echoId = Identity.fromSecret("//Bob", KeyType.SR25519);
    Identity bridgeId = Identity.fromSecret("//Charlie", KeyType.SR25519);
    Path twins = dir.resolve("twins.json");
    DevFiles.writeTwins(twins, Map.of(7L, gatewayId, 8L, echoId, 9L, bridgeId));
    redis = RedisServer.start();
    kafka = EmbeddedKafka.start(Files.createDirectories(dir.resolve("kafka")));
    relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0").domain("localhost")
        .twinsFile(twins).build());
    String relayUrl = "ws://127.0.0.1:" + relay.port();
    echo = RmbPeer.create(RmbPeerOptions.builder().identity(echoId).twin(8).relays(relayUrl)
        .twins(new FileTwinDirectory(twins)).build()).handleOthers(ServeEchoCommand.ECHO).start();
    gateway = StreamsGateway.start(GatewayConfig.load(Optional.empty(), Map.of(), Map.of(
        "bootstrap.servers", kafka.bootstrapServers(), "state.dir", dir.resolve("state")
            .toString(), "rmb.topics.partitions", "1",
        GatewayConfig.ADMIN_LISTEN, "127.0.0.1:" + freePort())), RmbPeerOptions.builder()
        .identity(gatewayId).twin(7).relays(relayUrl).twins(new FileTwinDirectory(twins))
        .build());
    // `rmb peer` as the command runs it; it blocks until the JVM exits (daemon thread)
    peerAdmin = freePort();
    Thread peer = new Thread(() -> Rmb.commandLine().execute("peer", "-m", "//Charlie",
        "--twin", "9", "--relay", relayUrl, "--twins", twins.toString(), "-r", redis.uri(),
        "--admin", "127.0.0.1:" + peerAdmin), "rmb-peer-under-test");
    peer.setDaemon(true);
    peer.start();
    echoAdmin = freePort();
    Thread serveEcho = new Thread(() -> Rmb.commandLine().execute("serve-echo", "-m", "//Bob",
        "--twin", "8", "--session", "second", "--relay", relayUrl, "--twins", twins.toString(),
        "--admin", "127.0.0.1:" + echoAdmin), "rmb-serve-echo-under-test");
    serveEcho.setDaemon(true);
    serveEcho.start();
    await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> gateway.isReady()
        && echo.isConnected() && get(peerAdmin, "/ready").statusCode() == 200
        && get(echoAdmin, "/ready").statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (echo != null) {
      echo.close();
    }
    if (relay != null) {
      relay.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void everyMetricTheDashboardQueriesIsExported() throws Exception {
    // one request through the gateway (Kafka) and one through the bridge (Redis)
    assertThat(Rmb.commandLine().execute("send", "-b", kafka.bootstrapServers(), "--dst", "8",
        "--cmd", "test.echo", "--data", "hi", "--timeout", "30")).isZero();
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      long now = System.currentTimeMillis() / 1000;
      connection.sync().lpush("msgbus.system.local", "{\"ver\":1,\"ref\":\"d1\",\"cmd\":"
          + "\"test.echo\",\"exp\":30,\"dat\":\"aGk=\",\"dst\":[8],\"ret\":\"dash.ret\","
          + "\"shm\":\"application/json\",\"now\":" + now + "}");
      await().atMost(Duration.ofSeconds(60))
          .until(() -> connection.sync().llen("dash.ret") == 1);
    } finally {
      client.shutdown();
    }

    int gatewayAdmin = gateway.admin().orElseThrow().address().getPort();
    Set<String> exported = new TreeSet<>();
    exported.addAll(names(scrape("relay", relay.port())));
    exported.addAll(names(scrape("peer", peerAdmin)));
    exported.addAll(names(scrape("streams", gatewayAdmin)));
    exported.addAll(names(scrape("serve-echo", echoAdmin)));

    Set<String> queried = new TreeSet<>();
    Matcher m = Pattern.compile("\\brmb_[a-z0-9_]+").matcher(Files.readString(DASHBOARD));
    while (m.find()) {
      // Connect tasks' metrics come from a worker's JMX through the exporter rules in
      // docker/connect/jmx-exporter.yml: connector's SourceConnectorIT checks those names
      if (!m.group().startsWith("rmb_connect_")) {
        queried.add(m.group());
      }
    }
    assertThat(queried).as("metrics in the dashboard's queries").hasSizeGreaterThan(10);
    assertThat(exported).as("exported by relay, rmb peer and rmb streams")
        .containsAll(queried);
  }

  @Test
  void everyProcessAnswersHealth() throws Exception {
    assertThat(get(peerAdmin, "/health").statusCode()).isEqualTo(200);
    assertThat(get(echoAdmin, "/health").statusCode()).isEqualTo(200);
    assertThat(get(echoAdmin, "/metrics").body()).contains("rmb_peer_pending_requests");
    int gatewayAdmin = gateway.admin().orElseThrow().address().getPort();
    assertThat(get(gatewayAdmin, "/health").statusCode()).isEqualTo(200);
  }

  private static String scrape(String process, int port) throws Exception {
    HttpResponse<String> response = get(port, "/metrics");
    assertThat(response.statusCode()).as("%s /metrics", process).isEqualTo(200);
    Files.writeString(Path.of("target", "scrape-" + process + ".txt"), response.body());
    return response.body();
  }

  private static Set<String> names(String scrape) {
    Set<String> names = new TreeSet<>();
    scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
        .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
    return names;
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
