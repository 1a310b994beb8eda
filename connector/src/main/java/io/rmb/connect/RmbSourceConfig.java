package io.rmb.connect;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Configuration of {@link RmbSourceConnector}: the shared {@link PeerConfig} settings, the
 * incoming topic, the record form and the queue between the peer and {@code poll()}.
 */
public final class RmbSourceConfig extends AbstractConfig {
  public static final String SOURCE_GROUP = "Incoming requests";

  public static final String INCOMING_TOPIC_CONFIG = "rmb.incoming.topic";
  public static final String INCOMING_TOPIC_DEFAULT = "rmb.incoming";
  private static final String INCOMING_TOPIC_DOC = "Topic of the requests remote twins send"
      + " to our twin.";

  public static final String INCOMING_FORMAT_CONFIG = "rmb.incoming.format";
  public static final String FORMAT_STRUCT = "struct";
  public static final String FORMAT_JSON = "json";
  private static final String INCOMING_FORMAT_DOC = "'struct': a Connect Struct with a schema"
      + " (payload as bytes, 'json' as JSON text), for any converter; 'json': the kafka.md JSON"
      + " as bytes, for the ByteArrayConverter.";

  public static final String QUEUE_SIZE_CONFIG = "rmb.incoming.queue.size";
  public static final int QUEUE_SIZE_DEFAULT = 10_000;
  private static final String QUEUE_SIZE_DOC = "Incoming requests held between the relay and"
      + " poll(); when full, new requests are answered with error 500 'gateway busy'.";

  public static final String POLL_TIMEOUT_CONFIG = "rmb.poll.timeout.ms";
  public static final long POLL_TIMEOUT_DEFAULT = 500;
  private static final String POLL_TIMEOUT_DOC = "Longest wait of one poll() for a request.";

  /** The ConfigDef of the source connector. */
  public static final ConfigDef CONFIG_DEF = configDef();

  public RmbSourceConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
  }

  private static ConfigDef configDef() {
    ConfigDef def = PeerConfig.addTo(new ConfigDef());
    int order = 0;
    def.define(INCOMING_TOPIC_CONFIG, Type.STRING, INCOMING_TOPIC_DEFAULT,
        new ConfigDef.NonEmptyString(), Importance.HIGH, INCOMING_TOPIC_DOC, SOURCE_GROUP,
        ++order, Width.MEDIUM, "Incoming topic");
    def.define(INCOMING_FORMAT_CONFIG, Type.STRING, FORMAT_STRUCT,
        ConfigDef.ValidString.in(FORMAT_STRUCT, FORMAT_JSON), Importance.MEDIUM,
        INCOMING_FORMAT_DOC, SOURCE_GROUP, ++order, Width.SHORT, "Record form", java.util.List.of(),
        new PeerConfig.FixedRecommender(java.util.List.<Object>of(FORMAT_STRUCT, FORMAT_JSON)));
    def.define(QUEUE_SIZE_CONFIG, Type.INT, QUEUE_SIZE_DEFAULT, ConfigDef.Range.atLeast(1),
        Importance.LOW, QUEUE_SIZE_DOC, SOURCE_GROUP, ++order, Width.SHORT, "Queue size");
    def.define(POLL_TIMEOUT_CONFIG, Type.LONG, POLL_TIMEOUT_DEFAULT,
        ConfigDef.Range.between(1, 60_000), Importance.LOW, POLL_TIMEOUT_DOC, SOURCE_GROUP,
        ++order, Width.SHORT, "Poll timeout (ms)");
    return def;
  }

  static void validate(Map<String, String> props, Map<String, ConfigValue> values) {
    PeerConfig.validate(props, values);
  }

  public String incomingTopic() {
    return getString(INCOMING_TOPIC_CONFIG);
  }

  public boolean structFormat() {
    return FORMAT_STRUCT.equals(getString(INCOMING_FORMAT_CONFIG));
  }

  public int queueSize() {
    return getInt(QUEUE_SIZE_CONFIG);
  }

  public long pollTimeoutMs() {
    return getLong(POLL_TIMEOUT_CONFIG);
  }
}
