package io.rmb.streams;

import io.rmb.streams.avro.AvroValueFormat;
import io.rmb.streams.record.ValueFormat;
import io.rmb.streams.topology.GatewayTopics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of the Streams gateway. Keys starting with {@code rmb.} are the gateway's own
 * (below); every other key is handed to Kafka Streams unchanged ({@code bootstrap.servers},
 * {@code application.id}, {@code processing.guarantee}, client settings, ...).
 *
 * <p>Sources, later ones winning: defaults, a properties file, environment variables
 * ({@code RMB_TOPIC_REQUESTS} is {@code rmb.topic.requests}; {@code KAFKA_BOOTSTRAP_SERVERS}
 * is {@code bootstrap.servers}: lower-cased, {@code _} becomes {@code .}), explicit overrides
 * (command-line flags).
 */
public final class GatewayConfig extends AbstractConfig {
  public static final String PREFIX = "rmb.";

  public static final String TOPIC_REQUESTS = "rmb.topic.requests";
  private static final String TOPIC_REQUESTS_DOC = "Topic of requests from users.";
  public static final String TOPIC_RESPONSES = "rmb.topic.responses";
  private static final String TOPIC_RESPONSES_DOC = "Topic of outcomes, one per destination.";
  public static final String TOPIC_INCOMING = "rmb.topic.incoming";
  private static final String TOPIC_INCOMING_DOC = "Topic of requests remote twins sent us.";
  public static final String TOPIC_REPLIES = "rmb.topic.replies";
  private static final String TOPIC_REPLIES_DOC = "Topic of replies to incoming requests.";
  public static final String TOPIC_DLQ = "rmb.topic.dlq";
  private static final String TOPIC_DLQ_DOC = "Dead-letter topic for records not understood.";
  public static final String TOPIC_ANSWERS = "rmb.topic.answers";
  private static final String TOPIC_ANSWERS_DOC = "Internal topic of answers from the network;"
      + " needs as many partitions as the requests topic.";
  public static final String TOPIC_INCOMING_INDEX = "rmb.topic.incoming.index";
  private static final String TOPIC_INCOMING_INDEX_DOC = "Internal compacted topic indexing"
      + " incoming requests by uid.";
  public static final String REPLY_TOPICS_PATTERN = "rmb.reply.topics.pattern";
  private static final String REPLY_TOPICS_PATTERN_DOC = "Regex of topics a request may name"
      + " in Spring's kafka_replyTopic header; empty: the header is ignored.";
  public static final String PUNCTUATE_INTERVAL_MS = "rmb.punctuate.interval.ms";
  private static final String PUNCTUATE_INTERVAL_MS_DOC = "How often deadlines are checked;"
      + " timeouts are written at most this late.";
  public static final String REPLY_GRACE_MS = "rmb.replies.grace.ms";
  private static final String REPLY_GRACE_MS_DOC = "How long a reply whose request the"
      + " incoming index does not know yet is kept before it is dropped as unknown.";
  public static final String STATE_IN_MEMORY = "rmb.state.in.memory";
  private static final String STATE_IN_MEMORY_DOC = "In-memory instead of RocksDB stores"
      + " (still changelogged).";
  public static final String TOPICS_CREATE = "rmb.topics.create";
  private static final String TOPICS_CREATE_DOC = "Create missing topics at start.";
  public static final String TOPICS_PARTITIONS = "rmb.topics.partitions";
  private static final String TOPICS_PARTITIONS_DOC = "Partitions of topics created at start.";
  public static final String TOPICS_REPLICATION = "rmb.topics.replication.factor";
  private static final String TOPICS_REPLICATION_DOC = "Replication factor of topics created"
      + " at start; -1: the broker default.";
  public static final String SERVICE_ENABLED = "rmb.service.enabled";
  private static final String SERVICE_ENABLED_DOC = "Publish requests for our twin to the"
      + " incoming topic (service mode); off: they are answered 'function is not found'.";
  public static final String ADMIN_LISTEN = "rmb.admin.listen";
  private static final String ADMIN_LISTEN_DOC = "host:port of /metrics, /health and /ready;"
      + " empty: no admin endpoint.";

  public static final String VALUE_FORMAT = "rmb.value.format";
  private static final String VALUE_FORMAT_DOC = "Value format of the user-facing topics:"
      + " json (kafka.md) or avro (Confluent wire format through a schema registry; needs "
      + "rmb.schema.registry.url).";
  public static final String SCHEMA_REGISTRY_URL = "rmb.schema.registry.url";
  private static final String SCHEMA_REGISTRY_URL_DOC = "Apicurio Registry 2.x API of the"
      + " Avro schemas, e.g. http://host:8080/apis/registry/v2; further apicurio.registry.*"
      + " keys go to its serdes.";
  public static final String SCHEMA_REGISTRY_AUTO_REGISTER = "rmb.schema.registry.auto.register";
  private static final String SCHEMA_REGISTRY_AUTO_REGISTER_DOC = "Register the schemas of"
      + " written records under <topic>-value; off: they must be registered already.";
  /** Prefix of the serde settings handed to the Avro serdes unchanged. */
  public static final String APICURIO_PREFIX = "apicurio.registry.";

  public static final String DEFAULT_APPLICATION_ID = "rmb-gateway";

  private static final ConfigDef CONFIG = new ConfigDef()
      .define(TOPIC_REQUESTS, Type.STRING, "rmb.requests", Importance.HIGH, TOPIC_REQUESTS_DOC)
      .define(TOPIC_RESPONSES, Type.STRING, "rmb.responses", Importance.HIGH,
          TOPIC_RESPONSES_DOC)
      .define(TOPIC_INCOMING, Type.STRING, "rmb.incoming", Importance.MEDIUM,
          TOPIC_INCOMING_DOC)
      .define(TOPIC_REPLIES, Type.STRING, "rmb.replies", Importance.MEDIUM, TOPIC_REPLIES_DOC)
      .define(TOPIC_DLQ, Type.STRING, "rmb.dlq", Importance.MEDIUM, TOPIC_DLQ_DOC)
      .define(TOPIC_ANSWERS, Type.STRING, "rmb.gateway.answers", Importance.LOW,
          TOPIC_ANSWERS_DOC)
      .define(TOPIC_INCOMING_INDEX, Type.STRING, "rmb.gateway.incoming-index", Importance.LOW,
          TOPIC_INCOMING_INDEX_DOC)
      .define(REPLY_TOPICS_PATTERN, Type.STRING, "", Importance.MEDIUM,
          REPLY_TOPICS_PATTERN_DOC)
      .define(PUNCTUATE_INTERVAL_MS, Type.LONG, 250L, ConfigDef.Range.atLeast(1),
          Importance.LOW, PUNCTUATE_INTERVAL_MS_DOC)
      .define(REPLY_GRACE_MS, Type.LONG, 2000L, ConfigDef.Range.atLeast(0), Importance.LOW,
          REPLY_GRACE_MS_DOC)
      .define(STATE_IN_MEMORY, Type.BOOLEAN, false, Importance.LOW, STATE_IN_MEMORY_DOC)
      .define(TOPICS_CREATE, Type.BOOLEAN, true, Importance.LOW, TOPICS_CREATE_DOC)
      .define(TOPICS_PARTITIONS, Type.INT, 3, ConfigDef.Range.atLeast(1), Importance.LOW,
          TOPICS_PARTITIONS_DOC)
      .define(TOPICS_REPLICATION, Type.SHORT, (short) -1, Importance.LOW,
          TOPICS_REPLICATION_DOC)
      .define(SERVICE_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM, SERVICE_ENABLED_DOC)
      .define(ADMIN_LISTEN, Type.STRING, "", Importance.LOW, ADMIN_LISTEN_DOC)
      .define(VALUE_FORMAT, Type.STRING, "json",
          ConfigDef.CaseInsensitiveValidString.in("json", "avro"), Importance.MEDIUM,
          VALUE_FORMAT_DOC)
      .define(SCHEMA_REGISTRY_URL, Type.STRING, "", Importance.MEDIUM, SCHEMA_REGISTRY_URL_DOC)
      .define(SCHEMA_REGISTRY_AUTO_REGISTER, Type.BOOLEAN, true, Importance.LOW,
          SCHEMA_REGISTRY_AUTO_REGISTER_DOC);

  private final Map<String, Object> streamsProps;

  public GatewayConfig(Map<String, ?> props) {
    super(CONFIG, ownKeys(props), false);
    Map<String, Object> streams = new HashMap<>();
    props.forEach((k, v) -> {
      if (!k.startsWith(PREFIX)) {
        streams.put(k, v);
      }
    });
    streams.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
    // requests and answers share tasks but need no ordering between them: never idle a task
    // waiting for the other topic's data
    streams.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    // Streams lingers 100 ms on its producer by default: outcomes are latency-sensitive.
    // Measured (docs/benchmarks.md): 1 ms instead of 5 takes ~3 ms off the added latency
    // unloaded and costs no throughput under load; a short poll.ms did cost throughput
    // (fewer records per loop), so Streams' poll.ms stays
    streams.putIfAbsent(StreamsConfig.producerPrefix("linger.ms"), 1);
    if (!streams.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new ConfigException("bootstrap.servers is required (file, KAFKA_BOOTSTRAP_SERVERS"
          + " or --bootstrap-servers)");
    }
    this.streamsProps = Map.copyOf(streams);
    topics(); // fail now on a bad pattern
    if (avro() && getString(SCHEMA_REGISTRY_URL).isBlank()) {
      throw new ConfigException(SCHEMA_REGISTRY_URL + " is required when " + VALUE_FORMAT
          + "=avro (or --schema-registry-url)");
    }
  }

  /** The documentation of every gateway key. */
  public static ConfigDef configDef() {
    return CONFIG;
  }

  /**
   * Loads settings: {@code file} (if given), then {@code env}, then {@code overrides}.
   *
   * @throws ConfigException when the file cannot be read or a value is invalid
   */
  public static GatewayConfig load(Optional<Path> file, Map<String, String> env,
      Map<String, String> overrides) {
    Map<String, Object> props = new HashMap<>();
    if (file.isPresent()) {
      Properties fromFile = new Properties();
      try (InputStream in = Files.newInputStream(file.get())) {
        fromFile.load(in);
      } catch (IOException e) {
        throw new ConfigException("cannot read " + file.get() + ": " + e.getMessage());
      }
      fromFile.forEach((k, v) -> props.put(k.toString(), v.toString().trim()));
    }
    props.putAll(fromEnvironment(env));
    props.putAll(overrides);
    return new GatewayConfig(props);
  }

  /** {@code RMB_X_Y} and {@code KAFKA_X_Y} variables as {@code rmb.x.y} and {@code x.y}. */
  static Map<String, String> fromEnvironment(Map<String, String> env) {
    Map<String, String> props = new HashMap<>();
    env.forEach((name, value) -> {
      String key = name.toLowerCase(Locale.ROOT).replace('_', '.');
      if (name.startsWith("RMB_")) {
        props.put(key, value);
      } else if (name.startsWith("KAFKA_")) {
        props.put(key.substring("kafka.".length()), value);
      }
    });
    return props;
  }

  private static Map<String, Object> ownKeys(Map<String, ?> props) {
    Map<String, Object> own = new HashMap<>();
    props.forEach((k, v) -> {
      if (k.startsWith(PREFIX)) {
        own.put(k, v);
      }
    });
    return own;
  }

  /** The topic names and the reply-topic allow list. */
  public GatewayTopics topics() {
    String pattern = getString(REPLY_TOPICS_PATTERN);
    Optional<Pattern> replyTopics;
    try {
      replyTopics = pattern.isBlank() ? Optional.empty() : Optional.of(Pattern.compile(pattern));
    } catch (PatternSyntaxException e) {
      throw new ConfigException(REPLY_TOPICS_PATTERN, pattern, e.getDescription());
    }
    return new GatewayTopics(getString(TOPIC_REQUESTS), getString(TOPIC_RESPONSES),
        getString(TOPIC_INCOMING), getString(TOPIC_REPLIES), getString(TOPIC_DLQ),
        getString(TOPIC_ANSWERS), getString(TOPIC_INCOMING_INDEX), replyTopics);
  }

  public Duration punctuateInterval() {
    return Duration.ofMillis(getLong(PUNCTUATE_INTERVAL_MS));
  }

  public Duration replyGrace() {
    return Duration.ofMillis(getLong(REPLY_GRACE_MS));
  }

  public boolean stateInMemory() {
    return getBoolean(STATE_IN_MEMORY);
  }

  public boolean createTopics() {
    return getBoolean(TOPICS_CREATE);
  }

  public int topicPartitions() {
    return getInt(TOPICS_PARTITIONS);
  }

  public short replicationFactor() {
    return getShort(TOPICS_REPLICATION);
  }

  public boolean serviceEnabled() {
    return getBoolean(SERVICE_ENABLED);
  }

  /** The admin endpoint address, if one is configured. */
  public Optional<String> adminListen() {
    return Optional.of(getString(ADMIN_LISTEN)).filter(s -> !s.isBlank());
  }

  private boolean avro() {
    return getString(VALUE_FORMAT).equalsIgnoreCase("avro");
  }

  /**
   * Makes the value format of the user-facing topics, one per stream thread or producer:
   * JSON, or Avro through the configured registry.
   */
  public Supplier<ValueFormat> valueFormats() {
    if (!avro()) {
      return () -> ValueFormat.JSON;
    }
    String url = getString(SCHEMA_REGISTRY_URL);
    boolean autoRegister = getBoolean(SCHEMA_REGISTRY_AUTO_REGISTER);
    Map<String, Object> serde = new HashMap<>();
    streamsProps.forEach((k, v) -> {
      if (k.startsWith(APICURIO_PREFIX)) {
        serde.put(k, v);
      }
    });
    return () -> new AvroValueFormat(url, autoRegister, serde);
  }

  /** The Kafka Streams properties (every non-{@code rmb.} key; application.id defaulted). */
  public Map<String, Object> streamsProps() {
    return streamsProps;
  }

  /** The bootstrap servers. */
  public String bootstrapServers() {
    return String.valueOf(streamsProps.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
  }
}
