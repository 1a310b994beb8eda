package io.rmb.connect;

import io.rmb.peer.runtime.IncomingRequest;
import io.rmb.peer.runtime.Reply;
import io.rmb.streams.record.RecordCodec;
import io.rmb.streams.record.RmbHeaders;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the requests remote twins send to our twin (on its session-less connection) and
 * hands them to the framework as {@code rmb.incoming} records: key = {@code src}, value = the
 * kafka.md incoming request (a Struct, or its JSON), header {@code rmb-cmd}. The peer's handler
 * answers {@link Reply#later()} once the framework wrote the record; Kafka-side services reply
 * through the sink's replies topic.
 */
public final class RmbSourceTask extends SourceTask {
  private static final Logger LOG = LoggerFactory.getLogger(RmbSourceTask.class);
  /** Metric names, in the project's Prometheus-style scheme (docs/operations.md). */
  static final String PREFIX = "rmb_connect_source_";

  private final LongAdder published = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final RecordCodec codec = new RecordCodec(Clock.systemUTC());
  private final Map<String, CompletableFuture<Reply>> unwritten = new ConcurrentHashMap<>();
  private RmbSourceConfig config;
  private BlockingQueue<IncomingRequest> queue;
  private PeerFactory peerFactory;
  private Map<String, Object> sourcePartition;

  @Override
  public String version() {
    return Version.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    config = new RmbSourceConfig(props);
    queue = new ArrayBlockingQueue<>(config.queueSize());
    peerFactory = PeerFactory.create(config, Optional.empty());
    sourcePartition = Map.of("twin", peerFactory.peer().twin());
    registerMetrics();
    peerFactory.peer().handleOthers(this::incoming).start();
    LOG.info("RMB source task started as twin {}", peerFactory.peer().twin());
  }

  /**
   * The task's counters as plugin metrics (KIP-877: the worker's JMX and metrics reporters,
   * tagged with connector and task), named like the sink's (docs/connect.md).
   */
  private void registerMetrics() {
    try {
      PluginMetrics metrics = context.pluginMetrics();
      gauge(metrics, "published_total", "requests written to the incoming topic",
          published::sum);
      gauge(metrics, "rejected_total", "requests answered 500 because the queue was full",
          rejected::sum);
      gauge(metrics, "waiting", "requests received and not yet written",
          () -> (long) (unwritten.size() + queue.size()));
    } catch (NoSuchMethodError | NoClassDefFoundError | UnsupportedOperationException e) {
      LOG.warn("this Connect runtime has no plugin metrics; the counters are logged at stop");
    }
  }

  private static void gauge(PluginMetrics metrics, String name, String doc,
      Supplier<Long> value) {
    metrics.addMetric(metrics.metricName(PREFIX + name, doc, new LinkedHashMap<>()),
        (Gauge<Long>) (config, now) -> value.get());
  }

  private CompletionStage<Reply> incoming(IncomingRequest request) {
    if (!queue.offer(request)) {
      rejected.increment();
      return CompletableFuture.completedFuture(Reply.error(500, "gateway busy"));
    }
    CompletableFuture<Reply> done = new CompletableFuture<>();
    unwritten.put(request.uid(), done);
    return done;
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    IncomingRequest first = queue.poll(config.pollTimeoutMs(), TimeUnit.MILLISECONDS);
    if (first == null) {
      return null;
    }
    List<IncomingRequest> batch = new ArrayList<>();
    batch.add(first);
    queue.drainTo(batch, 999);
    List<SourceRecord> records = new ArrayList<>(batch.size());
    for (IncomingRequest request : batch) {
      records.add(record(request));
    }
    return records;
  }

  private SourceRecord record(IncomingRequest request) {
    String src = request.sourceTwin() + request.sourceConnection().map(c -> ":" + c).orElse("");
    long ttl = Math.max(0, (request.deadline().toEpochMilli() - System.currentTimeMillis()
        + 999) / 1000);
    byte[] json = codec.incoming(request.uid(), src, request.command(), ttl, request.payload(),
        request.schema().orElse(null), request.tags().orElse(null));
    Map<String, Object> offset = Map.of("uid", request.uid());
    SourceRecord record = config.structFormat()
        ? new SourceRecord(sourcePartition, offset, config.incomingTopic(), null,
            Schema.STRING_SCHEMA, src, RecordSchemas.INCOMING, ConnectValues.incomingStruct(json))
        : new SourceRecord(sourcePartition, offset, config.incomingTopic(), null,
            Schema.STRING_SCHEMA, src, Schema.BYTES_SCHEMA, json);
    record.headers().addString(RmbHeaders.CMD, request.command());
    return record;
  }

  @Override
  public void commitRecord(SourceRecord record, RecordMetadata metadata) {
    Object uid = record.sourceOffset().get("uid");
    CompletableFuture<Reply> done = uid == null ? null : unwritten.remove(uid.toString());
    if (done != null) {
      published.increment();
      done.complete(Reply.later());
    }
  }

  @Override
  public void stop() {
    if (peerFactory != null) {
      peerFactory.close();
    }
    // requests never written are lost with this process; their callers time out
    LOG.info("RMB source task stopped: published={} rejected={} unwritten={}", published,
        rejected, unwritten.size() + (queue == null ? 0 : queue.size()));
  }
}
