package io.rmb.connect;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Kafka Connect source of the RMB gateway: requests remote twins send to our twin, to
 * {@code rmb.incoming}. Always one task, on the twin's session-less connection (RMB allows
 * one per twin). Supports exactly-once delivery (KIP-618) where the worker enables it.
 */
public final class RmbSourceConnector extends SourceConnector {
  private Map<String, String> props;

  @Override
  public String version() {
    return Version.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    new RmbSourceConfig(props);
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return RmbSourceTask.class;
  }

  /** One task whatever {@code tasks.max} says: a twin has one session-less connection. */
  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return List.of(props);
  }

  @Override
  public void stop() {
    // nothing held: the task owns the peer
  }

  @Override
  public ConfigDef config() {
    return RmbSourceConfig.CONFIG_DEF;
  }

  @Override
  public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
    // each record is produced once from memory; the worker's transaction makes it exactly once
    return ExactlyOnceSupport.SUPPORTED;
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    return PeerConfig.withCrossChecks(super.validate(connectorConfigs),
        values -> RmbSourceConfig.validate(connectorConfigs, values));
  }
}
