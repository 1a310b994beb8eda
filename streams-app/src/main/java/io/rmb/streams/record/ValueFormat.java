package io.rmb.streams.record;

/**
 * The value format of the user-facing topics ({@code rmb.requests}, {@code rmb.responses} and
 * reply topics, {@code rmb.incoming}, {@code rmb.replies}). {@link RecordCodec} works on the
 * JSON form; a format translates between the topic's bytes and that form at the edges, so
 * validation, correlation and dead-lettering are the same for every format. Internal topics
 * (answers, incoming index, changelogs) stay JSON.
 *
 * <p>Implementations are used by one stream thread (or one producer thread) at a time.
 */
public interface ValueFormat extends AutoCloseable {
  /** JSON (kafka.md's default): the bytes are the JSON form already. */
  ValueFormat JSON = new ValueFormat() {
    @Override
    public byte[] toJson(String topic, RecordType type, byte[] value, String ref) {
      return value;
    }

    @Override
    public byte[] fromJson(String topic, RecordType type, byte[] json) {
      return json;
    }

    @Override
    public String toString() {
      return "json";
    }
  };

  /** The four user-facing record types of kafka.md. */
  enum RecordType {
    /** On {@code rmb.requests}, read. */
    REQUEST,
    /** On {@code rmb.responses} or a reply topic, written. */
    OUTCOME,
    /** On {@code rmb.incoming}, written. */
    INCOMING,
    /** On {@code rmb.replies}, read. */
    REPLY
  }

  /**
   * The JSON form of a record value read from {@code topic}.
   *
   * @param ref the correlation id the record's headers name, if any, for the error
   * @throws InvalidRecordException when the bytes cannot be decoded as {@code type} (they go to
   *     the DLQ with the message as the reason)
   */
  byte[] toJson(String topic, RecordType type, byte[] value, String ref)
      throws InvalidRecordException;

  /** The value to write to {@code topic} for the JSON form {@code json} (from the codec). */
  byte[] fromJson(String topic, RecordType type, byte[] json);

  /** Releases registry clients; JSON has none. */
  @Override
  default void close() {}
}
