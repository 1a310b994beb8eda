package io.rmb.streams;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rmb.peer.metrics.AdminServer;
import io.rmb.peer.metrics.HealthCheck;
import io.rmb.peer.metrics.PeerMetrics;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.streams.metrics.GatewayMetrics;
import io.rmb.streams.topology.GatewayTopics;
import io.rmb.streams.topology.GatewayTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running Streams gateway: topics prepared, the peer connected to its relays, the
 * topology running, meters bound and (if configured) the admin endpoint serving.
 *
 * <pre>{@code
 * try (StreamsGateway gateway = StreamsGateway.start(config, peerOptions)) {
 *   ... until shutdown ...
 * }
 * }</pre>
 */
public final class StreamsGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsGateway.class);

  private final GatewayConfig config;
  private final PrometheusMeterRegistry registry;
  private final GatewayMetrics metrics;
  // assigned once in the constructor; null only while a failed start is being undone
  private Producer<String, byte[]> producer;
  private RmbPeer peer;
  private PeerNetwork network;
  private KafkaStreams streams;
  private KafkaStreamsMetrics streamsMetrics;
  private AdminServer admin;

  private StreamsGateway(GatewayConfig config, RmbPeerOptions peerOptions) {
    this.config = config;
    GatewayTopics topics = config.topics();
    Clock clock = peerOptions.clock();
    try (Admin kafkaAdmin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        config.bootstrapServers()))) {
      GatewayTopicsAdmin.prepare(kafkaAdmin, topics, config.createTopics(),
          config.topicPartitions(), config.replicationFactor());
    }
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.metrics = new GatewayMetrics(registry);
    try {
      startComponents(topics, peerOptions, clock);
    } catch (RuntimeException e) {
      close(); // what did start must not linger: threads, sockets, relay connections
      throw e;
    }
  }

  private void startComponents(GatewayTopics topics, RmbPeerOptions peerOptions, Clock clock) {
    this.producer = new KafkaProducer<>(producerProps(config), new StringSerializer(),
        new ByteArraySerializer());
    this.peer = RmbPeer.create(peerOptions);
    this.network = new PeerNetwork(peer, producer, topics, metrics, clock,
        config.valueFormats().get())
        .attach(config.serviceEnabled());
    peer.start();
    new PeerMetrics(peer, Tags.empty()).bindTo(registry);
    Properties props = new Properties();
    props.putAll(config.streamsProps());
    this.streams = new KafkaStreams(GatewayTopology.build(topics, network, clock, metrics,
        config.punctuateInterval(), config.stateInMemory(), config.replyGrace(),
        config.valueFormats()), props);
    // an unexpected failure restarts the stream thread; its tasks resume from their stores
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("stream thread failed; replacing it", e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    this.streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    this.admin = config.adminListen().map(this::startAdmin).orElse(null);
    streams.start();
    LOG.info("gateway {} started: twin {}, {} -> {}", config.streamsProps()
        .get(StreamsConfig.APPLICATION_ID_CONFIG), peer.twin(), topics.requests(),
        topics.responses());
  }

  /**
   * Starts a gateway.
   *
   * @throws org.apache.kafka.common.config.ConfigException when the topics cannot be prepared
   */
  public static StreamsGateway start(GatewayConfig config, RmbPeerOptions peerOptions) {
    return new StreamsGateway(Objects.requireNonNull(config, "config"),
        Objects.requireNonNull(peerOptions, "peerOptions"));
  }

  private static Map<String, Object> producerProps(GatewayConfig config) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    props.put(ProducerConfig.CLIENT_ID_CONFIG,
        config.streamsProps().get(StreamsConfig.APPLICATION_ID_CONFIG) + "-answers");
    return props;
  }

  private AdminServer startAdmin(String listen) {
    return AdminServer.builder().address(address(listen)).registry(registry)
        .liveness("streams", () -> streams.state().isRunningOrRebalancing()
            || streams.state() == KafkaStreams.State.CREATED
            ? HealthCheck.Result.up(streams.state().name())
            : HealthCheck.Result.down(streams.state().name()))
        .readiness("streams", () -> streams.state() == KafkaStreams.State.RUNNING
            ? HealthCheck.Result.up("RUNNING") : HealthCheck.Result.down(streams.state().name()))
        .readiness("relays", () -> peer.isConnected() ? HealthCheck.Result.up("connected")
            : HealthCheck.Result.down("no relay connected"))
        .build().start();
  }

  private static java.net.InetSocketAddress address(String listen) {
    int colon = listen.lastIndexOf(':');
    try {
      return new java.net.InetSocketAddress(listen.substring(0, colon),
          Integer.parseInt(listen.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw new org.apache.kafka.common.config.ConfigException(GatewayConfig.ADMIN_LISTEN,
          listen, "expected host:port");
    }
  }

  /** The Kafka Streams state. */
  public KafkaStreams.State state() {
    return streams.state();
  }

  /** True when the topology runs and the peer has a relay connection. */
  public boolean isReady() {
    return streams.state() == KafkaStreams.State.RUNNING && peer.isConnected();
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /** The registry behind /metrics (gateway, peer and Kafka Streams meters). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The admin endpoint, if configured. */
  public java.util.Optional<AdminServer> admin() {
    return java.util.Optional.ofNullable(admin);
  }

  public GatewayConfig config() {
    return config;
  }

  /**
   * Stops in the order that keeps the guarantees: the topology first (its state and offsets
   * are committed), then the peer (answers arriving now are written for the next run; its
   * local "peer closed" failures are not), then the producer.
   */
  @Override
  public synchronized void close() {
    if (streams != null) {
      // leave the group: a successor takes the tasks at once, not after the session timeout
      streams.close(CloseOptions.timeout(Duration.ofSeconds(30)).withGroupMembershipOperation(
          CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
    if (network != null) {
      network.closing();
    }
    if (peer != null) {
      peer.close();
    }
    if (network != null) {
      network.close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
    if (admin != null) {
      admin.close();
    }
    registry.close();
  }
}
