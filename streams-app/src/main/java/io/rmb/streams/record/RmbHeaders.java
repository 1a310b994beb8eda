package io.rmb.streams.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Names of the record headers the gateway reads and writes (kafka.md), and small helpers. */
public final class RmbHeaders {
  /** Correlation id of a request, echoed on its outcomes. */
  public static final String CORRELATION_ID = "rmb-correlation-id";
  /** Spring Kafka's correlation id ({@code KafkaHeaders.CORRELATION_ID}), echoed too. */
  public static final String SPRING_CORRELATION_ID = "kafka_correlationId";
  /** Spring Kafka's reply topic ({@code KafkaHeaders.REPLY_TOPIC}). */
  public static final String SPRING_REPLY_TOPIC = "kafka_replyTopic";
  /** Spring Kafka's reply partition, a 4-byte big-endian int. */
  public static final String SPRING_REPLY_PARTITION = "kafka_replyPartition";
  public static final String UID = "rmb-uid";
  public static final String SRC = "rmb-src";
  public static final String STATUS = "rmb-status";
  public static final String CMD = "rmb-cmd";
  public static final String INPUT_TOPIC = "input_record_topic";
  public static final String INPUT_PARTITION = "input_record_partition";
  public static final String INPUT_OFFSET = "input_record_offset";
  /** Why a record went to the dead-letter topic. */
  public static final String DLQ_REASON = "rmb-dlq-reason";
  public static final String DLQ_TOPIC = "rmb-dlq-topic";
  public static final String DLQ_PARTITION = "rmb-dlq-partition";
  public static final String DLQ_OFFSET = "rmb-dlq-offset";

  private RmbHeaders() {}

  /** The last value of header {@code name}, if present and non-null. */
  public static Optional<byte[]> last(Headers headers, String name) {
    Header header = headers == null ? null : headers.lastHeader(name);
    return header == null || header.value() == null ? Optional.empty()
        : Optional.of(header.value());
  }

  /** The last value of header {@code name} as UTF-8 text. */
  public static Optional<String> text(Headers headers, String name) {
    return last(headers, name).map(v -> new String(v, StandardCharsets.UTF_8));
  }

  /**
   * The correlation id as text: {@value #CORRELATION_ID} as UTF-8, else Spring's
   * {@value #SPRING_CORRELATION_ID} (a 16-byte UUID as Spring writes it, else UTF-8).
   */
  public static Optional<String> correlationId(Headers headers) {
    Optional<String> own = text(headers, CORRELATION_ID).filter(s -> !s.isEmpty());
    if (own.isPresent()) {
      return own;
    }
    return last(headers, SPRING_CORRELATION_ID).filter(v -> v.length > 0).map(v -> {
      if (v.length == 16) {
        ByteBuffer buffer = ByteBuffer.wrap(v);
        return new UUID(buffer.getLong(), buffer.getLong()).toString();
      }
      return new String(v, StandardCharsets.UTF_8);
    });
  }

  /** {@code value} as UTF-8 bytes. */
  public static byte[] utf8(Object value) {
    return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
  }
}
