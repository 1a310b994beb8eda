package io.rmb.connect;

import io.rmb.streams.record.Answer;
import io.rmb.streams.record.RecordCodec;
import io.rmb.streams.record.RmbHeaders;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Writes outcome records (kafka.md) with the sink's own producer: the JSON of
 * {@link RecordCodec#outcome}, the request's key, correlation headers echoed, {@code rmb-*}
 * headers and the request's coordinates. A write that fails for good is remembered and ends
 * the task ({@link #check()}): its request's offset is then never committed, so it is resent.
 */
final class OutcomeWriter implements AutoCloseable {
  private final Producer<byte[], byte[]> producer;
  private final RecordCodec codec;
  private final String responsesTopic;
  private final boolean replyTopicHeader;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  OutcomeWriter(Producer<byte[], byte[]> producer, Clock clock, String responsesTopic,
      boolean replyTopicHeader) {
    this.producer = producer;
    this.codec = new RecordCodec(clock);
    this.responsesTopic = responsesTopic;
    this.replyTopicHeader = replyTopicHeader;
  }

  /** The record's headers as Kafka headers (bytes), for {@link RmbHeaders}' helpers. */
  static Headers kafkaHeaders(SinkRecord record) {
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      Object value = header.value();
      byte[] bytes = value == null ? null : value instanceof byte[] b ? b
          : value instanceof ByteBuffer buffer ? ConnectValues.toJson(buffer)
          : RmbHeaders.utf8(value);
      headers.add(header.key(), bytes);
    }
    return headers;
  }

  /**
   * Writes the outcome of {@code answer} for the request in {@code record}.
   *
   * @param onDurable runs once the broker acknowledged the outcome
   */
  void write(SinkRecord record, Headers headers, String ref, String uid, Answer answer,
      Runnable onDurable) {
    String topic = responsesTopic;
    Integer partition = null;
    if (replyTopicHeader) {
      Optional<String> replyTopic = RmbHeaders.text(headers, RmbHeaders.SPRING_REPLY_TOPIC)
          .filter(t -> !t.isBlank());
      if (replyTopic.isPresent()) {
        topic = replyTopic.get();
        partition = RmbHeaders.last(headers, RmbHeaders.SPRING_REPLY_PARTITION)
            .map(OutcomeWriter::partition).orElse(null);
      }
    }
    ProducerRecord<byte[], byte[]> outcome = new ProducerRecord<>(topic, partition,
        ConnectValues.keyBytes(record.key()), codec.outcome(ref, uid, answer));
    for (String name : new String[] {RmbHeaders.CORRELATION_ID,
        RmbHeaders.SPRING_CORRELATION_ID}) {
      RmbHeaders.last(headers, name).ifPresent(v -> outcome.headers().add(name, v));
    }
    outcome.headers()
        .add(RmbHeaders.UID, RmbHeaders.utf8(uid))
        .add(RmbHeaders.SRC, RmbHeaders.utf8(answer.twin()))
        .add(RmbHeaders.STATUS, RmbHeaders.utf8(answer.status().label()))
        .add(RmbHeaders.INPUT_TOPIC, RmbHeaders.utf8(record.originalTopic()))
        .add(RmbHeaders.INPUT_PARTITION, RmbHeaders.utf8(record.originalKafkaPartition()))
        .add(RmbHeaders.INPUT_OFFSET, RmbHeaders.utf8(record.originalKafkaOffset()));
    try {
      producer.send(outcome, (metadata, error) -> {
        if (error == null) {
          onDurable.run();
        } else {
          failure.compareAndSet(null, error);
        }
      });
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    }
  }

  /** Spring's 4-byte big-endian partition, or its decimal text. */
  private static Integer partition(byte[] value) {
    if (value.length == 4) {
      return ByteBuffer.wrap(value).getInt();
    }
    try {
      return Integer.parseInt(new String(value, java.nio.charset.StandardCharsets.UTF_8).trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Ends the task when an outcome could not be written.
   *
   * @throws ConnectException with the producer's error
   */
  void check() {
    Exception error = failure.get();
    if (error != null) {
      throw new ConnectException("an outcome could not be written; the task stops so that its"
          + " uncommitted requests are resent: " + error, error);
    }
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(10));
  }
}
