package io.rmb.connect;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Configuration of {@link RmbSinkConnector}: the shared {@link PeerConfig} settings, the
 * topics, back-pressure and the outcome producer ({@value #REPORTER_PREFIX}* overrides).
 */
public final class RmbSinkConfig extends AbstractConfig {
  public static final String TOPICS_GROUP = "Topics";
  public static final String FLOW_GROUP = "Flow control";
  public static final String REPORTER_GROUP = "Outcome reporter";

  /** The framework's list of topics to consume (SinkConnector.TOPICS_CONFIG). */
  public static final String TOPICS_CONFIG = "topics";
  /** The framework's dead letter queue topic, which must not be consumed either. */
  public static final String DLQ_TOPIC_CONFIG = "errors.deadletterqueue.topic.name";

  public static final String REPLIES_TOPIC_CONFIG = "rmb.replies.topic";
  public static final String REPLIES_TOPIC_DEFAULT = "rmb.replies";
  private static final String REPLIES_TOPIC_DOC = "Records of this topic (when it is among"
      + " 'topics') are replies to incoming requests; records of every other topic are"
      + " requests.";

  public static final String RESPONSES_TOPIC_CONFIG = "rmb.responses.topic";
  public static final String RESPONSES_TOPIC_DEFAULT = "rmb.responses";
  private static final String RESPONSES_TOPIC_DOC = "Topic of the outcomes, one per request"
      + " and destination.";

  public static final String REPLY_TOPIC_HEADER_CONFIG = "rmb.reply.topic.header.enabled";
  public static final boolean REPLY_TOPIC_HEADER_DEFAULT = true;
  private static final String REPLY_TOPIC_HEADER_DOC = "Honour Spring's kafka_replyTopic and"
      + " kafka_replyPartition headers: that request's outcomes go there instead.";

  public static final String MAX_IN_FLIGHT_CONFIG = "rmb.max.in.flight";
  public static final int MAX_IN_FLIGHT_DEFAULT = 10_000;
  private static final String MAX_IN_FLIGHT_DOC = "Records without a durable outcome above"
      + " which the task pauses its partitions; it resumes below half of it.";

  public static final String REPORTER_PREFIX = "reporter.";
  public static final String REPORTER_BOOTSTRAP_CONFIG = REPORTER_PREFIX
      + ProducerConfig.BOOTSTRAP_SERVERS_CONFIG;
  /** The framework's per-connector consumer override; its cluster is where the sink reads. */
  public static final String CONSUMER_OVERRIDE_BOOTSTRAP_CONFIG = "consumer.override."
      + ProducerConfig.BOOTSTRAP_SERVERS_CONFIG;
  private static final String REPORTER_BOOTSTRAP_DOC = "Kafka cluster the outcomes are written"
      + " to, normally the worker's. Connect (4.3) gives a connector no access to its worker's"
      + " settings, so when this is empty the sink uses '" + CONSUMER_OVERRIDE_BOOTSTRAP_CONFIG
      + "' if the connector sets it, and otherwise refuses to start. Any other producer setting"
      + " can be given with the '" + REPORTER_PREFIX + "' prefix (e.g."
      + " reporter.security.protocol); acks=all and idempotence are the defaults.";

  /** The ConfigDef of the sink connector. */
  public static final ConfigDef CONFIG_DEF = configDef();

  public RmbSinkConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
  }

  private static ConfigDef configDef() {
    ConfigDef def = PeerConfig.addTo(new ConfigDef());
    int order = 0;
    def.define(REPLIES_TOPIC_CONFIG, Type.STRING, REPLIES_TOPIC_DEFAULT,
        new ConfigDef.NonEmptyString(), Importance.MEDIUM, REPLIES_TOPIC_DOC, TOPICS_GROUP,
        ++order, Width.MEDIUM, "Replies topic");
    def.define(RESPONSES_TOPIC_CONFIG, Type.STRING, RESPONSES_TOPIC_DEFAULT,
        new ConfigDef.NonEmptyString(), Importance.HIGH, RESPONSES_TOPIC_DOC, TOPICS_GROUP,
        ++order, Width.MEDIUM, "Responses topic");
    def.define(REPLY_TOPIC_HEADER_CONFIG, Type.BOOLEAN, REPLY_TOPIC_HEADER_DEFAULT,
        Importance.LOW, REPLY_TOPIC_HEADER_DOC, TOPICS_GROUP, ++order, Width.SHORT,
        "Honour reply topic headers");
    def.define(MAX_IN_FLIGHT_CONFIG, Type.INT, MAX_IN_FLIGHT_DEFAULT,
        ConfigDef.Range.atLeast(1), Importance.MEDIUM, MAX_IN_FLIGHT_DOC, FLOW_GROUP, 1,
        Width.SHORT, "Max records in flight");
    def.define(REPORTER_BOOTSTRAP_CONFIG, Type.LIST, null, Importance.HIGH, REPORTER_BOOTSTRAP_DOC,
        REPORTER_GROUP, 1, Width.LONG, "Outcome bootstrap servers");
    return def;
  }

  /** Cross-field checks: see {@link PeerConfig#validate}, plus the sink's topics. */
  static void validate(Map<String, String> props, Map<String, ConfigValue> values) {
    PeerConfig.validate(props, values);
    List<String> topics = PeerConfig.list(props.getOrDefault(TOPICS_CONFIG, ""));
    String responses = props.getOrDefault(RESPONSES_TOPIC_CONFIG, RESPONSES_TOPIC_DEFAULT);
    if (topics.contains(responses)) {
      PeerConfig.error(values, TOPICS_CONFIG, "topics must not include the responses topic "
          + responses + ": the sink would consume its own outcomes");
    }
    if (bootstrap(props).isEmpty()) {
      PeerConfig.error(values, REPORTER_BOOTSTRAP_CONFIG, MISSING_BOOTSTRAP);
    }
    String dlq = props.get(DLQ_TOPIC_CONFIG);
    if (dlq != null && !dlq.isBlank() && topics.contains(dlq.trim())) {
      PeerConfig.error(values, TOPICS_CONFIG, "topics must not include the dead letter queue "
          + dlq.trim());
    }
  }

  private static final String MISSING_BOOTSTRAP = "no cluster for the outcomes: set "
      + REPORTER_BOOTSTRAP_CONFIG + " (normally the worker's bootstrap.servers; a connector"
      + " cannot read its worker's settings) or " + CONSUMER_OVERRIDE_BOOTSTRAP_CONFIG;

  /** The outcome cluster from raw props: reporter.bootstrap.servers, else the consumer's. */
  private static List<String> bootstrap(Map<String, String> props) {
    for (String key : new String[] {REPORTER_BOOTSTRAP_CONFIG,
        CONSUMER_OVERRIDE_BOOTSTRAP_CONFIG}) {
      List<String> servers = PeerConfig.list(props.getOrDefault(key, ""));
      if (!servers.isEmpty()) {
        return servers;
      }
    }
    return List.of();
  }

  /**
   * The cluster the outcomes go to: {@value #REPORTER_BOOTSTRAP_CONFIG}, else the connector's
   * {@value #CONSUMER_OVERRIDE_BOOTSTRAP_CONFIG}.
   *
   * @throws ConfigException when neither is set: the worker's own setting is out of reach
   */
  public List<String> reporterBootstrap() {
    Map<String, String> raw = new java.util.HashMap<>();
    originalsStrings().forEach(raw::put);
    List<String> servers = bootstrap(raw);
    if (servers.isEmpty()) {
      throw new ConfigException(MISSING_BOOTSTRAP);
    }
    return servers;
  }

  public String repliesTopic() {
    return getString(REPLIES_TOPIC_CONFIG);
  }

  public String responsesTopic() {
    return getString(RESPONSES_TOPIC_CONFIG);
  }

  public boolean replyTopicHeaderEnabled() {
    return getBoolean(REPLY_TOPIC_HEADER_CONFIG);
  }

  public int maxInFlight() {
    return getInt(MAX_IN_FLIGHT_CONFIG);
  }

  /** Producer properties of the outcome reporter: safe defaults, then the overrides. */
  public Map<String, Object> reporterProps(String clientId) {
    Map<String, Object> props = new java.util.HashMap<>();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.putAll(originalsWithPrefix(REPORTER_PREFIX));
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, reporterBootstrap());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return props;
  }
}
