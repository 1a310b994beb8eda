package io.rmb.streams.topology;

import io.rmb.streams.metrics.GatewayMetrics;
import io.rmb.streams.record.InvalidRecordException;
import io.rmb.streams.record.RecordCodec;
import io.rmb.streams.record.Reply;
import java.time.Clock;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service mode: reads {@code rmb.replies}, checks each reply against the incoming index and
 * hands it to the network. A malformed reply goes to the DLQ; a reply to an unknown or
 * expired request is counted and dropped (its caller has given up).
 */
final class ReplyProcessor implements Processor<byte[], byte[], byte[], Output> {
  private static final Logger LOG = LoggerFactory.getLogger(ReplyProcessor.class);

  private final RmbNetwork network;
  private final RecordCodec codec;
  private final Outputs outputs;
  private final Clock clock;
  private final GatewayMetrics metrics;
  private ProcessorContext<byte[], Output> context;
  private KeyValueStore<String, IncomingEntry> index;

  ReplyProcessor(GatewayTopics topics, RmbNetwork network, Clock clock,
      GatewayMetrics metrics) {
    this.network = network;
    this.codec = new RecordCodec(clock);
    this.outputs = new Outputs(codec, topics, clock);
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], Output> context) {
    this.context = context;
    this.index = context.getStateStore(GatewayTopology.INCOMING_INDEX_STORE);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata source = context.recordMetadata().orElseThrow();
    Reply reply;
    try {
      reply = codec.parseReply(record.value());
    } catch (InvalidRecordException e) {
      deadLetter(record, source, e.getMessage());
      return;
    }
    IncomingEntry entry = index.get(reply.ref());
    if (entry == null) {
      metrics.reply("unknown");
      LOG.debug("dropping a reply to unknown request {}", reply.ref());
      return;
    }
    String dst = reply.twin() + reply.connection().map(c -> ":" + c).orElse("");
    if (!dst.equals(entry.src())) {
      deadLetter(record, source, "invalid reply: dst " + dst + " is not the src "
          + entry.src() + " of request " + reply.ref());
      return;
    }
    if (entry.deadlineMillis() <= clock.millis()) {
      metrics.reply("expired");
      return;
    }
    metrics.reply("forwarded");
    network.reply(reply);
  }

  private void deadLetter(Record<byte[], byte[]> record, RecordMetadata source, String reason) {
    metrics.reply("invalid");
    metrics.deadLetter(source.topic());
    context.forward(outputs.deadLetter(record, source, reason));
  }
}
