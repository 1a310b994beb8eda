package io.rmb.streams.topology;

import io.rmb.streams.metrics.GatewayMetrics;
import io.rmb.streams.record.InvalidRecordException;
import io.rmb.streams.record.RecordCodec;
import io.rmb.streams.record.Reply;
import io.rmb.streams.record.ValueFormat;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service mode: reads {@code rmb.replies}, checks each reply against the incoming index and
 * hands it to the network. A malformed reply goes to the DLQ; a reply to an expired request
 * is counted and dropped (its caller has given up). A reply to a request the index does not
 * know is parked for a grace period, because the index (a global store fed by its own topic)
 * may lag the replies; if the index still does not know it then, it is counted and dropped.
 */
final class ReplyProcessor implements Processor<byte[], byte[], byte[], Output> {
  private static final Logger LOG = LoggerFactory.getLogger(ReplyProcessor.class);

  private final RmbNetwork network;
  private final RecordCodec codec;
  private final Outputs outputs;
  private final Clock clock;
  private final GatewayMetrics metrics;
  private final Duration grace;
  private final Duration punctuateInterval;
  private final ValueFormat format;
  private ProcessorContext<byte[], Output> context;
  private KeyValueStore<String, IncomingEntry> index;
  private KeyValueStore<String, ParkedReply> parked;

  ReplyProcessor(GatewayTopics topics, RmbNetwork network, Clock clock,
      GatewayMetrics metrics, Duration grace, Duration punctuateInterval, ValueFormat format) {
    this.format = format;
    this.grace = grace;
    this.punctuateInterval = punctuateInterval;
    this.network = network;
    this.codec = new RecordCodec(clock);
    this.outputs = new Outputs(codec, topics, clock, format);
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], Output> context) {
    this.context = context;
    this.index = context.getStateStore(GatewayTopology.INCOMING_INDEX_STORE);
    this.parked = context.getStateStore(GatewayTopology.PARKED_REPLIES_STORE);
    context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, t -> retryParked());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata source = context.recordMetadata().orElseThrow();
    Reply reply;
    byte[] json;
    try {
      // parked replies keep this JSON form: a later retry needs no registry
      json = format.toJson(source.topic(), ValueFormat.RecordType.REPLY, record.value(), null);
      reply = codec.parseReply(json);
    } catch (InvalidRecordException e) {
      deadLetter(record, source, e.getMessage());
      return;
    }
    IncomingEntry entry = index.get(reply.ref());
    if (entry == null) {
      if (parked.get(reply.ref()) != null) {
        // one reply per request: a second one is a duplicate, and parking it again would
        // restart the grace period, so a stream of duplicates could keep it parked forever
        metrics.reply("duplicate");
        return;
      }
      metrics.reply("parked");
      parked.put(reply.ref(), new ParkedReply(json, clock.millis()));
      return;
    }
    forward(reply, entry, record, source);
  }

  private void forward(Reply reply, IncomingEntry entry, Record<byte[], byte[]> record,
      RecordMetadata source) {
    String dst = reply.twin() + reply.connection().map(c -> ":" + c).orElse("");
    if (!dst.equals(entry.src())) {
      String reason = "invalid reply: dst " + dst + " is not the src " + entry.src()
          + " of request " + reply.ref();
      if (source != null) {
        deadLetter(record, source, reason);
      } else { // a parked reply: its record is long committed, only its value was kept
        metrics.reply("invalid");
        LOG.warn("dropping a parked reply: {}", reason);
      }
      return;
    }
    if (entry.deadlineMillis() <= clock.millis()) {
      metrics.reply("expired");
      return;
    }
    metrics.reply("forwarded");
    network.reply(reply);
  }

  /** Sends parked replies whose request is now indexed; drops those past the grace. */
  private void retryParked() {
    long now = clock.millis();
    List<KeyValue<String, ParkedReply>> all = new ArrayList<>();
    try (KeyValueIterator<String, ParkedReply> it = parked.all()) {
      it.forEachRemaining(all::add);
    }
    for (KeyValue<String, ParkedReply> item : all) {
      IncomingEntry entry = index.get(item.key);
      if (entry == null && now - item.value.parkedAtMillis() < grace.toMillis()) {
        continue;
      }
      parked.delete(item.key);
      if (entry == null) {
        metrics.reply("unknown");
        LOG.debug("dropping a reply to unknown request {}", item.key);
        continue;
      }
      try {
        Record<byte[], byte[]> record = new Record<>(null, item.value.value(), now);
        forward(codec.parseReply(item.value.value()), entry, record, null);
      } catch (InvalidRecordException e) {
        metrics.reply("invalid"); // it parsed when parked; cannot happen
      }
    }
  }

  private void deadLetter(Record<byte[], byte[]> record, RecordMetadata source, String reason) {
    metrics.reply("invalid");
    metrics.deadLetter(source.topic());
    context.forward(outputs.deadLetter(record, source, reason));
  }

  @Override
  public void close() {
    format.close();
  }
}
