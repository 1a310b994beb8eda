package io.rmb.streams;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One in-process single-node KRaft cluster (Kafka's own KafkaClusterTestKit) shared by every
 * IT of this module: started on first use, closed when the test JVM exits. Test classes keep
 * apart by topic prefixes and application ids.
 */
final class SharedKafka {
  private static KafkaClusterTestKit cluster;

  private SharedKafka() {}

  /** The bootstrap servers of the shared cluster, starting it on first call. */
  static synchronized String bootstrapServers() throws Exception {
    if (cluster == null) {
      KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
          .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
          // one broker: transactions (exactly_once_v2) need these at 1
          .setConfigProp("transaction.state.log.replication.factor", "1")
          .setConfigProp("transaction.state.log.min.isr", "1")
          .setConfigProp("offsets.topic.replication.factor", "1")
          .setConfigProp("group.initial.rebalance.delay.ms", "0")
          .build();
      kit.format();
      kit.startup();
      kit.waitForReadyBrokers();
      cluster = kit;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          kit.close();
        } catch (Exception e) {
          // the JVM is exiting; the temporary directories go with it
        }
      }, "shared-kafka-close"));
    }
    return cluster.bootstrapServers();
  }

  /**
   * A gateway config on the shared cluster whose topics are {@code <prefix>.requests} etc.,
   * application id {@code <prefix>-gateway}, quick commits; {@code extra} wins.
   */
  static GatewayConfig config(String prefix, Path stateDir, Map<String, String> extra)
      throws Exception {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers());
    props.put("application.id", prefix + "-gateway");
    props.put("state.dir", stateDir.toString());
    props.put("commit.interval.ms", "100");
    for (String topic : new String[] {"requests", "responses", "incoming", "replies", "dlq",
        "answers"}) {
      props.put("rmb.topic." + topic, prefix + "." + topic);
    }
    props.put("rmb.topic.incoming.index", prefix + ".incoming-index");
    props.putAll(extra);
    return GatewayConfig.load(Optional.empty(), Map.of(), props);
  }
}
