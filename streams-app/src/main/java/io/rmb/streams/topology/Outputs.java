package io.rmb.streams.topology;

import io.rmb.streams.record.Answer;
import io.rmb.streams.record.RecordCodec;
import io.rmb.streams.record.RmbHeaders;
import io.rmb.streams.record.ValueFormat;
import java.time.Clock;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds the records the topology writes: outcomes and dead letters. */
final class Outputs {
  private final RecordCodec codec;
  private final GatewayTopics topics;
  private final Clock clock;
  private final ValueFormat format;

  Outputs(RecordCodec codec, GatewayTopics topics, Clock clock) {
    this(codec, topics, clock, ValueFormat.JSON);
  }

  Outputs(RecordCodec codec, GatewayTopics topics, Clock clock, ValueFormat format) {
    this.format = format;
    this.codec = codec;
    this.topics = topics;
    this.clock = clock;
  }

  /** The outcome of {@code request} for {@code answer.twin()}, keyed like the request. */
  Record<byte[], Output> outcome(InFlight request, Answer answer) {
    Headers headers = new RecordHeaders();
    if (request.correlationId() != null) {
      headers.add(RmbHeaders.CORRELATION_ID, request.correlationId());
    }
    if (request.springCorrelationId() != null) {
      headers.add(RmbHeaders.SPRING_CORRELATION_ID, request.springCorrelationId());
    }
    headers.add(RmbHeaders.UID, RmbHeaders.utf8(request.uid()));
    headers.add(RmbHeaders.SRC, RmbHeaders.utf8(answer.twin()));
    headers.add(RmbHeaders.STATUS, RmbHeaders.utf8(answer.status().label()));
    headers.add(RmbHeaders.INPUT_TOPIC, RmbHeaders.utf8(request.inputTopic()));
    headers.add(RmbHeaders.INPUT_PARTITION, RmbHeaders.utf8(request.inputPartition()));
    headers.add(RmbHeaders.INPUT_OFFSET, RmbHeaders.utf8(request.inputOffset()));
    Output output = new Output(request.outputTopic(), request.outputPartition(),
        format.fromJson(request.outputTopic(), ValueFormat.RecordType.OUTCOME,
            codec.outcome(request.ref(), request.uid(), answer)));
    return new Record<>(request.key(), output, clock.millis(), headers);
  }

  /**
   * {@code record} for the dead-letter topic: key, value and headers kept, plus the reason
   * and the record's coordinates.
   */
  Record<byte[], Output> deadLetter(Record<byte[], byte[]> record, RecordMetadata source,
      String reason) {
    Headers headers = new RecordHeaders(record.headers().toArray());
    headers.add(RmbHeaders.DLQ_REASON, RmbHeaders.utf8(reason));
    headers.add(RmbHeaders.DLQ_TOPIC, RmbHeaders.utf8(source.topic()));
    headers.add(RmbHeaders.DLQ_PARTITION, RmbHeaders.utf8(source.partition()));
    headers.add(RmbHeaders.DLQ_OFFSET, RmbHeaders.utf8(source.offset()));
    return new Record<>(record.key(), new Output(topics.dlq(), null, record.value()),
        clock.millis(), headers);
  }
}
