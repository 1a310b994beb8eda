package io.rmb.connect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Kafka Connect sink of the RMB gateway: requests from {@code rmb.requests} to their twins,
 * one outcome per destination to {@code rmb.responses}, and replies from {@code rmb.replies}
 * to remote callers. Configuration: {@link RmbSinkConfig}; contract: kafka.md.
 */
public final class RmbSinkConnector extends SinkConnector {
  /** Task config key of the task's index, from which its RMB session id is derived. */
  static final String TASK_ID = "rmb.task.id";

  private Map<String, String> props;

  @Override
  public String version() {
    return Version.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    new RmbSinkConfig(props).reporterBootstrap(); // fail fast on a bad config
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return RmbSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>(maxTasks);
    for (int task = 0; task < maxTasks; task++) {
      Map<String, String> config = new HashMap<>(props);
      config.put(TASK_ID, Integer.toString(task));
      configs.add(config);
    }
    return configs;
  }

  @Override
  public void stop() {
    // nothing held: the tasks own the peers
  }

  @Override
  public ConfigDef config() {
    return RmbSinkConfig.CONFIG_DEF;
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    return PeerConfig.withCrossChecks(super.validate(connectorConfigs),
        values -> RmbSinkConfig.validate(connectorConfigs, values));
  }
}
