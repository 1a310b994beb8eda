package io.rmb.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rmb.streams.TestNet;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin directory (built by the assembly in {@code package}) on a worker's
 * {@code plugin.path} with {@code plugin.discovery=service_load}: both connectors are found
 * through their ServiceLoader manifests, and a connector runs from it. The classes on the test
 * classpath report version "unknown"; only the packaged jar reports the project version.
 */
class PluginDiscoveryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PACKAGED = "0.1.0-SNAPSHOT";
  private static EmbeddedConnectCluster connect;
  private static TestNet net;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    Path plugins = Path.of(System.getProperty("rmb.plugin.dir", "target/missing"));
    assertThat(plugins.resolve("rmb-connector")).as("run 'package' first").isDirectory();
    assertThat(Files.list(plugins.resolve("rmb-connector")))
        .noneMatch(jar -> jar.getFileName().toString().startsWith("kafka"))
        .noneMatch(jar -> jar.getFileName().toString().startsWith("connect-"));
    net = new TestNet(dir);
    Map<String, String> worker = new HashMap<>();
    worker.put("plugin.path", plugins.toString());
    worker.put("plugin.discovery", "service_load");
    connect = new EmbeddedConnectCluster.Builder().name("rmb-plugin").numWorkers(1)
        .numBrokers(1).workerProps(worker).build();
    connect.start();
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.stop();
    }
    if (net != null) {
      net.close();
    }
  }

  private static JsonNode get(String resource) throws Exception {
    Response response = connect.requestGet(connect.endpointForResource(resource));
    assertThat(response.getStatus()).isEqualTo(200);
    return JSON.readTree(String.valueOf(response.getEntity()));
  }

  @Test
  void bothConnectorsAreDiscoveredFromThePackagedDirectoryAndRun() throws Exception {
    JsonNode plugins = get("connector-plugins?connectorsOnly=true");
    assertThat(StreamSupport.stream(plugins.spliterator(), false)
        .filter(p -> p.get("class").asText().startsWith("io.rmb.connect."))
        .filter(p -> p.get("version").asText().equals(PACKAGED))
        .map(p -> p.get("class").asText() + "/" + p.get("type").asText()))
        .containsExactlyInAnyOrder("io.rmb.connect.RmbSinkConnector/sink",
            "io.rmb.connect.RmbSourceConnector/source");

    Map<String, String> source = new HashMap<>();
    source.put("connector.class", RmbSourceConnector.class.getName());
    source.put("connector.plugin.version", PACKAGED);
    source.put("rmb.mnemonic", "//Alice");
    source.put("rmb.twin.id", "7");
    source.put("rmb.relays", net.relayUrl());
    source.put("rmb.twins.file", net.twins.toString());
    connect.configureConnector("packaged-source", source);
    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("packaged-source", 1,
        "the packaged source did not start");
    JsonNode status = get("connectors/packaged-source/status");
    assertThat(status.get("connector").get("version").asText()).isEqualTo(PACKAGED);
  }
}
