package io.rmb.cli;

import io.rmb.peer.RmbException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A single-node KRaft Kafka (one combined broker+controller) in this process, for
 * {@code rmb dev}. Built on Kafka's own {@code KafkaClusterTestKit}, which formats the
 * storage, picks free ports and waits until the broker is ready; the same kit runs the
 * gateway's integration tests. Transactions work on it (replication factors of 1), so
 * {@code exactly_once_v2} does too.
 */
final class EmbeddedKafka implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  private EmbeddedKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /** {@link #start(Path, Map)} with rmb dev's settings only. */
  static EmbeddedKafka start(Path dir) {
    return start(dir, Map.of());
  }

  /**
   * Formats and starts a broker with its data under {@code dir}; {@code overrides} are broker
   * settings applied last.
   *
   * @throws RmbException when the broker does not start
   */
  static EmbeddedKafka start(Path dir, Map<String, String> overrides) {
    KafkaClusterTestKit cluster = null;
    try {
      KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(
          new TestKitNodes.Builder()
          .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
          .setBaseDirectory(dir).build())
          .setConfigProp("transaction.state.log.replication.factor", "1")
          .setConfigProp("transaction.state.log.min.isr", "1")
          .setConfigProp("offsets.topic.replication.factor", "1")
          .setConfigProp("group.initial.rebalance.delay.ms", "0");
      overrides.forEach(builder::setConfigProp);
      cluster = builder.build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new EmbeddedKafka(cluster);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(cluster);
      throw new RmbException("interrupted while starting the embedded Kafka broker");
    } catch (Exception e) {
      closeQuietly(cluster);
      throw new RmbException("the embedded Kafka broker did not start: " + e.getMessage(), e);
    }
  }

  /** host:port of the broker's listener. */
  String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public void close() {
    closeQuietly(cluster);
  }

  private static void closeQuietly(KafkaClusterTestKit cluster) {
    if (cluster == null) {
      return;
    }
    try {
      cluster.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // shutting down a development broker: nothing left to do about it
    }
  }
}
