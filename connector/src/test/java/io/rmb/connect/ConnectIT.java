package io.rmb.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rmb.streams.TestNet;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Connect cluster (one broker, one worker, exactly-once source enabled) with a relay and
 * echo twins, shared by the integration tests of a class.
 */
abstract class ConnectIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static EmbeddedConnectCluster connect;
  static TestNet net;

  @TempDir
  static Path dir;

  @BeforeAll
  static void startCluster() throws Exception {
    net = new TestNet(dir);
    Map<String, String> worker = new HashMap<>(); // EmbeddedConnect mutates it
    worker.put("offset.flush.interval.ms", "500");
    worker.put("exactly.once.source.support", "enabled");
    worker.put("plugin.discovery", "hybrid_warn");
    Properties broker = new Properties();
    broker.put("transaction.state.log.replication.factor", "1");
    broker.put("transaction.state.log.min.isr", "1");
    connect = new EmbeddedConnectCluster.Builder().name("rmb-connect").numWorkers(1)
        .numBrokers(1).workerProps(worker).brokerProps(broker).build();
    connect.start();
  }

  @AfterAll
  static void stopCluster() {
    if (connect != null) {
      connect.stop();
    }
    if (net != null) {
      net.close();
    }
  }

  /** Settings every connector of the tests shares: our twin 7 on the test network. */
  static Map<String, String> peerProps() {
    Map<String, String> props = new HashMap<>();
    props.put("rmb.mnemonic", "//Alice");
    props.put("rmb.twin.id", "7");
    props.put("rmb.relays", net.relayUrl());
    props.put("rmb.twins.file", net.twins.toString());
    props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    props.put("value.converter.schemas.enable", "false");
    return props;
  }

  /** The value of a plugin metric of {@code connector} in the platform MBean server. */
  static Object jmx(String attribute, String connector) throws Exception {
    javax.management.MBeanServer server =
        java.lang.management.ManagementFactory.getPlatformMBeanServer();
    for (javax.management.ObjectName name : server.queryNames(null, null)) {
      if (connector.equals(name.getKeyProperty("connector"))
          && java.util.Arrays.stream(server.getMBeanInfo(name).getAttributes())
              .anyMatch(a -> a.getName().equals(attribute))) {
        return server.getAttribute(name, attribute);
      }
    }
    return null;
  }

  static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
    try {
      return JSON.readTree(record.value());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + new String(record.value()), e);
    }
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(),
        java.nio.charset.StandardCharsets.UTF_8);
  }
}
