package io.rmb.streams.topology;

import io.rmb.streams.metrics.GatewayMetrics;
import io.rmb.streams.record.ValueFormat;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the gateway's topology.
 *
 * <pre>
 *   rmb.requests ──┐                    ┌─> rmb.responses / reply topic (outcomes)
 *                  ├─> requests ────────┤
 *   answers ───────┘  (in-flight store, └─> rmb.dlq
 *                      deadline index,
 *                      timeout punctuator)
 *   rmb.replies ────> replies ─────────────> rmb.dlq
 *                     (reads the global incoming index, fed by its compacted topic)
 * </pre>
 *
 * <p>The in-flight store caches writes until the next commit: a request answered within one
 * commit interval costs its done marker and, later, the marker's tombstone in the changelog.
 * The deadline index is derived from it: a map in the processor, not a store, rebuilt from
 * the in-flight store whenever the task starts (as a changelogged store it cost two more
 * changelog records per request).
 *
 * <p>The answers topic must have as many partitions as the requests topic: an answer is written
 * to the partition its uid names, the partition of the request (see {@link Uids}).
 */
public final class GatewayTopology {
  /** The changelogged in-flight store: uid -> {@link InFlight}. */
  public static final String IN_FLIGHT_STORE = "rmb-inflight";
  /** Replies waiting for the incoming index to learn their request: ref -> reply. */
  public static final String PARKED_REPLIES_STORE = "rmb-parked-replies";
  /** How long a reply to a request the index does not know yet is kept by default. */
  public static final Duration DEFAULT_REPLY_GRACE = Duration.ofSeconds(2);
  /** The global incoming index: uid -> {@link IncomingEntry}. */
  public static final String INCOMING_INDEX_STORE = "rmb-incoming-index";

  private GatewayTopology() {}

  /**
   * The topology.
   *
   * @param topics topic names
   * @param network sends requests and replies; must not block
   * @param clock the wall clock for deadlines and timestamps
   * @param metrics the gateway meters
   * @param punctuateInterval how often deadlines are checked (timeouts are written at most
   *     this late)
   * @param inMemoryStores in-memory instead of RocksDB stores (still changelogged)
   */
  public static Topology build(GatewayTopics topics, RmbNetwork network, Clock clock,
      GatewayMetrics metrics, Duration punctuateInterval, boolean inMemoryStores) {
    return build(topics, network, clock, metrics, punctuateInterval, inMemoryStores,
        DEFAULT_REPLY_GRACE);
  }

  /**
   * The topology, with {@code replyGrace}: how long a reply whose request the incoming index
   * does not know yet is kept before it is dropped as unknown.
   */
  public static Topology build(GatewayTopics topics, RmbNetwork network, Clock clock,
      GatewayMetrics metrics, Duration punctuateInterval, boolean inMemoryStores,
      Duration replyGrace) {
    return build(topics, network, clock, metrics, punctuateInterval, inMemoryStores,
        replyGrace, () -> ValueFormat.JSON);
  }

  /**
   * The topology with the value format of the user-facing topics: {@code formats} makes one
   * per processor (a processor runs on one stream thread at a time).
   */
  public static Topology build(GatewayTopics topics, RmbNetwork network, Clock clock,
      GatewayMetrics metrics, Duration punctuateInterval, boolean inMemoryStores,
      Duration replyGrace, Supplier<ValueFormat> formats) {
    Objects.requireNonNull(formats, "formats");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(metrics, "metrics");
    if (punctuateInterval.isNegative() || punctuateInterval.isZero()) {
      throw new IllegalArgumentException("punctuate interval must be positive");
    }
    Topology topology = new Topology();
    ByteArrayDeserializer bytes = new ByteArrayDeserializer();
    topology.addSource("requests-source", bytes, bytes, topics.requests());
    topology.addSource("answers-source", bytes, bytes, topics.answers());
    topology.addProcessor("requests",
        () -> new RequestProcessor(topics, network, clock, metrics, punctuateInterval,
            formats.get()),
        "requests-source", "answers-source");
    topology.addStateStore(Stores.keyValueStoreBuilder(store(IN_FLIGHT_STORE, inMemoryStores),
        Serdes.String(), new InFlightSerde()).withCachingEnabled(), "requests");

    topology.addSource("replies-source", bytes, bytes, topics.replies());
    topology.addProcessor("replies", () -> new ReplyProcessor(topics, network, clock, metrics,
        replyGrace, punctuateInterval, formats.get()), "replies-source");
    topology.addStateStore(Stores.keyValueStoreBuilder(
        store(PARKED_REPLIES_STORE, inMemoryStores), Serdes.String(),
        new JsonSerde<>(ParkedReply.class)), "replies");
    topology.addGlobalStore(Stores.keyValueStoreBuilder(
            store(INCOMING_INDEX_STORE, inMemoryStores), Serdes.String(),
            IncomingEntry.serde()).withLoggingDisabled(),
        "incoming-index-source", new StringDeserializer(),
        IncomingEntry.serde().deserializer(), topics.incomingIndex(), "incoming-index",
        IndexUpdater::new);

    topology.addSink("outputs", Output.topicExtractor(), new ByteArraySerializer(),
        Output.serializer(), Output.partitioner(), "requests", "replies");
    return topology;
  }

  private static KeyValueBytesStoreSupplier store(String name, boolean inMemory) {
    return inMemory ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
  }
}
