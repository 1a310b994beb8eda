package io.rmb.connect;

import io.rmb.peer.runtime.OutgoingRequest;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.streams.record.Answer;
import io.rmb.streams.record.InvalidRecordException;
import io.rmb.streams.record.RecordCodec;
import io.rmb.streams.record.Reply;
import io.rmb.streams.record.Request;
import io.rmb.streams.record.RmbHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the requests it consumes to their twins and writes one outcome per destination; sends
 * the replies it consumes to the remote callers. Nothing in {@link #put} waits for the network:
 * outcomes arrive on the peer's threads and are written by {@link OutcomeWriter}, and
 * {@link #preCommit} commits each partition only up to its last contiguous finished record.
 *
 * <p>Each request goes out under a uid made of the connector name and the record coordinates,
 * so a resend after a restart is the same RMB request, and with the record timestamp as its
 * issue time (unless it names {@code now}), so its deadline never grows on a resend.
 */
public final class RmbSinkTask extends SinkTask {
  private static final Logger LOG = LoggerFactory.getLogger(RmbSinkTask.class);
  /** Code of the error outcome of a malformed request that names a ref (as the Streams gateway). */
  static final long INVALID_REQUEST_CODE = 101;

  private final SinkCounters counters = new SinkCounters();
  private final OffsetTracker tracker = new OffsetTracker();
  private final SettableClock recordClock = new SettableClock();
  private final RecordCodec parser = new RecordCodec(recordClock);
  /** Outcomes of each in-flight uid not yet durable. */
  private final Map<String, AtomicInteger> unwrittenByUid = new ConcurrentHashMap<>();
  private RmbSinkConfig config;
  private String connector;
  private PeerFactory peerFactory;
  private RmbPeer peer;
  private OutcomeWriter writer;
  private ErrantRecordReporter errantReporter;
  private volatile boolean stopping;
  private boolean paused;

  @Override
  public String version() {
    return Version.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    config = new RmbSinkConfig(props);
    connector = props.getOrDefault("name", "rmb-sink");
    int task = Integer.parseInt(props.getOrDefault(RmbSinkConnector.TASK_ID, "0"));
    String session = PeerFactory.sessionOf(connector, task);
    errantReporter = errantReporter();
    registerMetrics();
    writer = new OutcomeWriter(new KafkaProducer<>(config.reporterProps(session + "-outcomes")),
        Clock.systemUTC(), config.responsesTopic(), config.replyTopicHeaderEnabled());
    peerFactory = PeerFactory.create(config, Optional.of(session));
    peer = peerFactory.peer();
    // answers to uids sent before a restart, whose resend is not registered yet: the resend's
    // own answers or its deadline give the outcome
    peer.onUnmatchedAnswer(answer -> counters.unmatchedAnswers.increment());
    peer.start();
    LOG.info("RMB sink task {} started as twin {} session {}", task, peer.twin(), session);
  }

  /** Plugin metrics (KIP-877) where the runtime has them (Kafka 4.1+); otherwise logs only. */
  private void registerMetrics() {
    try {
      counters.register(context.pluginMetrics());
    } catch (NoSuchMethodError | NoClassDefFoundError | UnsupportedOperationException e) {
      LOG.warn("this Connect runtime has no plugin metrics; the counters are logged at stop");
    }
  }

  /** The framework's reporter; null on runtimes before Kafka 2.6 or without one configured. */
  private ErrantRecordReporter errantReporter() {
    try {
      return context.errantRecordReporter();
    } catch (NoSuchMethodError | NoClassDefFoundError e) {
      LOG.warn("this Connect runtime has no errant record reporter; malformed records are"
          + " logged and counted");
      return null;
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    writer.check();
    for (SinkRecord record : records) {
      if (record.topic().equals(config.repliesTopic())) {
        reply(record);
      } else {
        request(record);
      }
    }
    flowControl();
  }

  private void request(SinkRecord record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.kafkaPartition());
    long offset = record.kafkaOffset();
    Headers headers = OutcomeWriter.kafkaHeaders(record);
    Optional<String> correlation = RmbHeaders.correlationId(headers);
    String fallbackRef = record.key() instanceof String key && !key.isEmpty() ? key
        : record.topic() + "-" + record.kafkaPartition() + "-" + offset;
    Request request;
    try {
      long now = System.currentTimeMillis();
      Long stamp = record.timestamp();
      recordClock.set(Instant.ofEpochMilli(stamp != null && stamp > 0 && stamp <= now
          ? stamp : now));
      request = parser.parseRequest(ConnectValues.toJson(record.value()), correlation,
          fallbackRef);
    } catch (InvalidRecordException e) {
      invalid(record, partition, headers, e.getMessage(), e.ref());
      return;
    } catch (DataException e) {
      invalid(record, partition, headers, e.getMessage(), correlation);
      return;
    }
    String uid = uidOf(record);
    OutgoingRequest outgoing = OutgoingRequest.builder().uid(uid)
        .issuedAt(request.issuedAt()).ttl(Duration.ofSeconds(request.ttlSeconds()))
        .destinations(request.destinations()).command(request.command())
        .payload(request.payload()).schema(request.schema()).tags(request.tags()).build();
    AtomicInteger unwritten = new AtomicInteger(request.destinations().size());
    AtomicInteger previous = unwrittenByUid.putIfAbsent(uid, unwritten);
    if (previous != null) {
      // a redelivery (rebalance back to this task) while the first send still runs: that
      // send's remaining outcomes finish this offset, so track exactly those
      counters.duplicateSends.increment();
      synchronized (tracker) {
        int remaining = previous.get();
        tracker.track(partition, offset, Math.max(remaining, 1));
        if (remaining == 0) {
          tracker.complete(partition, offset);
        }
      }
      return;
    }
    tracker.track(partition, offset, request.destinations().size());
    counters.requests.increment();
    try {
      peer.request(outgoing).onOutcome(outcome -> {
        if (stopping && outcome instanceof Outcome.Error error
            && error.origin() == Outcome.Origin.LOCAL) {
          return; // "peer closed": not an answer; the record is resent after the restart
        }
        writer.write(record, headers, request.ref(), uid, Answer.of(outcome), () -> {
          synchronized (tracker) {
            if (unwritten.decrementAndGet() == 0) {
              unwrittenByUid.remove(uid, unwritten);
            }
            tracker.complete(partition, offset);
          }
        });
      });
    } catch (IllegalStateException e) {
      // the peer is closing: the task is stopping and the record is resent after the restart
      unwrittenByUid.remove(uid, unwritten);
      LOG.debug("request {} not sent: {}", uid, e.getMessage());
    }
  }

  private void reply(SinkRecord record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.kafkaPartition());
    long offset = record.kafkaOffset();
    Reply reply;
    try {
      reply = parser.parseReply(ConnectValues.toJson(record.value()));
    } catch (InvalidRecordException | DataException e) {
      invalid(record, partition, null, e.getMessage(), Optional.empty());
      return;
    }
    tracker.track(partition, offset, 1);
    CompletableFuture<Void> sent;
    try {
      sent = peer.reply(reply.ref(), reply.twin(), reply.connection(), reply.toAnswer());
    } catch (IllegalStateException | IllegalArgumentException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((ignored, error) -> {
      if (error != null) {
        // the caller gives up at its deadline; a reply is never retried past the relay's own
        // retries, and never stalls the partition
        counters.repliesFailed.increment();
        LOG.warn("reply to {} (twin {}) not sent: {}", reply.ref(), reply.twin(), error.toString());
      } else {
        counters.repliesSent.increment();
      }
      tracker.complete(partition, offset);
    });
  }

  /** A malformed record: to the DLQ (never stalls), plus an error outcome when it names a ref. */
  private void invalid(SinkRecord record, TopicPartition partition, Headers headers,
      String reason, Optional<String> ref) {
    counters.invalid.increment();
    boolean outcome = ref.isPresent() && headers != null;
    tracker.track(partition, record.kafkaOffset(), outcome ? 2 : 1);
    if (errantReporter != null) {
      // the framework waits for this write before it commits the offset
      errantReporter.report(record, new DataException(reason));
    } else {
      LOG.warn("malformed record {}-{}@{} skipped (no dead letter queue configured): {}",
          record.topic(), record.kafkaPartition(), record.kafkaOffset(), reason);
    }
    tracker.complete(partition, record.kafkaOffset());
    if (outcome) {
      writer.write(record, headers, ref.get(), uidOf(record),
          Answer.error(0, INVALID_REQUEST_CODE, reason),
          () -> tracker.complete(partition, record.kafkaOffset()));
    }
  }

  /** Pauses all partitions when too many records wait, resumes below half of the limit. */
  private void flowControl() {
    int pending = tracker.pending();
    if (!paused && pending >= config.maxInFlight()) {
      paused = true;
      counters.pauses.increment();
      context.pause(context.assignment().toArray(TopicPartition[]::new));
    } else if (paused && pending <= config.maxInFlight() / 2) {
      paused = false;
      context.resume(context.assignment().toArray(TopicPartition[]::new));
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(
      Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    writer.check();
    flowControl();
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
    offsets.keySet().retainAll(currentOffsets.keySet());
    return offsets;
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    tracker.revoke(partitions);
  }

  @Override
  public void stop() {
    stopping = true;
    try {
      if (peerFactory != null) {
        peerFactory.close();
      }
    } finally {
      if (writer != null) {
        writer.close();
      }
      LOG.info("RMB sink task stopped: {}", counters);
    }
  }

  /** Counters of this task (for tests and logs). */
  SinkCounters counters() {
    return counters;
  }

  /** {@code <connector>.<topic>.<partition>.<offset>}, hashed when longer than RMB allows. */
  private String uidOf(SinkRecord record) {
    String uid = connector + "." + record.topic() + "." + record.kafkaPartition() + "."
        + record.kafkaOffset();
    if (uid.length() <= OutgoingRequest.MAX_UID_LENGTH) {
      return uid;
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(uid.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** The parser's clock: the issue time of the record being parsed (put thread only). */
  private static final class SettableClock extends Clock {
    private Instant instant = Instant.EPOCH;

    void set(Instant instant) {
      this.instant = instant;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return instant;
    }
  }
}
