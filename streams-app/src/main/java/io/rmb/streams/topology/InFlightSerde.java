package io.rmb.streams.topology;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of the in-flight store's values: a compact binary layout, written on every store
 * write and read on every lookup by the stream thread.
 *
 * <p>Layout (big-endian): the format byte {@value #FORMAT}, then every {@link InFlight}
 * component in declaration order. Strings and byte arrays are an {@code int} length
 * ({@code -1} for null) and their bytes (UTF-8 for strings); the nullable output partition is
 * {@code -1} (none) or a partition number; the remaining destinations are a count and as many
 * {@code long}s.
 *
 * <p>Values written by earlier versions are JSON objects (their first byte is {@code '{'}) and
 * are still read, so a changelog written before an upgrade restores. The layout has no field
 * tags: a change to it takes a new format byte, and the reader keeps reading the old ones.
 */
final class InFlightSerde implements Serde<InFlight> {
  /** First byte of a binary value; never '{', the first byte of a legacy JSON value. */
  static final byte FORMAT = 1;
  private static final byte LEGACY_JSON = '{';

  private final JsonSerde<InFlight> legacy = new JsonSerde<>(InFlight.class);

  @Override
  public Serializer<InFlight> serializer() {
    return (topic, value) -> value == null ? null : write(value);
  }

  @Override
  public Deserializer<InFlight> deserializer() {
    Deserializer<InFlight> json = legacy.deserializer();
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      if (bytes.length == 0) {
        throw new SerializationException("cannot read InFlight: empty value");
      }
      if (bytes[0] == LEGACY_JSON) {
        return json.deserialize(topic, bytes);
      }
      if (bytes[0] != FORMAT) {
        throw new SerializationException("cannot read InFlight: unknown format byte "
            + bytes[0]);
      }
      try {
        return read(ByteBuffer.wrap(bytes, 1, bytes.length - 1));
      } catch (BufferUnderflowException | IllegalArgumentException | NullPointerException e) {
        throw new SerializationException("cannot read InFlight: truncated or corrupt value ("
            + bytes.length + " bytes): " + e.getMessage(), e);
      }
    };
  }

  static byte[] write(InFlight v) {
    // strings encoded once: their lengths size the buffer, then their bytes are written
    byte[] uid = utf8(v.uid());
    byte[] ref = utf8(v.ref());
    byte[] outputTopic = utf8(v.outputTopic());
    byte[] inputTopic = utf8(v.inputTopic());
    byte[] command = utf8(v.command());
    byte[] schema = utf8(v.schema());
    byte[] tags = utf8(v.tags());
    int size = 1 + sized(uid) + sized(ref) + sized(v.key()) + sized(v.correlationId())
        + sized(v.springCorrelationId()) + sized(outputTopic) + 4 + sized(inputTopic) + 4 + 8
        + sized(command) + sized(v.payload()) + sized(schema) + sized(tags) + 3 * 8 + 4
        + 8 * v.remaining().size();
    ByteBuffer out = ByteBuffer.allocate(size).put(FORMAT);
    bytes(out, uid);
    bytes(out, ref);
    bytes(out, v.key());
    bytes(out, v.correlationId());
    bytes(out, v.springCorrelationId());
    bytes(out, outputTopic);
    out.putInt(v.outputPartition() == null ? -1 : v.outputPartition());
    bytes(out, inputTopic);
    out.putInt(v.inputPartition()).putLong(v.inputOffset());
    bytes(out, command);
    bytes(out, v.payload());
    bytes(out, schema);
    bytes(out, tags);
    out.putLong(v.issuedAtMillis()).putLong(v.deadlineMillis()).putLong(v.acceptedAtMillis());
    out.putInt(v.remaining().size());
    for (long twin : v.remaining()) {
      out.putLong(twin);
    }
    return out.array();
  }

  static InFlight read(ByteBuffer in) {
    String uid = text(in);
    String ref = text(in);
    byte[] key = bytes(in);
    byte[] correlationId = bytes(in);
    byte[] springCorrelationId = bytes(in);
    String outputTopic = text(in);
    int partition = in.getInt();
    Integer outputPartition = partition < 0 ? null : partition;
    String inputTopic = text(in);
    int inputPartition = in.getInt();
    long inputOffset = in.getLong();
    String command = text(in);
    byte[] payload = bytes(in);
    String schema = text(in);
    String tags = text(in);
    long issuedAt = in.getLong();
    long deadline = in.getLong();
    long acceptedAt = in.getLong();
    int count = in.getInt();
    if (count < 0 || count > in.remaining() / 8) {
      throw new IllegalArgumentException("bad destination count " + count);
    }
    List<Long> remaining = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      remaining.add(in.getLong());
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " bytes after the value");
    }
    return new InFlight(uid, ref, key, correlationId, springCorrelationId, outputTopic,
        outputPartition, inputTopic, inputPartition, inputOffset, command, payload, schema,
        tags, issuedAt, deadline, acceptedAt, remaining);
  }

  private static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  private static int sized(byte[] value) {
    return 4 + (value == null ? 0 : value.length);
  }

  private static void bytes(ByteBuffer out, byte[] value) {
    if (value == null) {
      out.putInt(-1);
    } else {
      out.putInt(value.length).put(value);
    }
  }

  private static byte[] bytes(ByteBuffer in) {
    int length = in.getInt();
    if (length < -1 || length > in.remaining()) {
      throw new IllegalArgumentException("bad length " + length);
    }
    if (length == -1) {
      return null;
    }
    byte[] value = new byte[length];
    in.get(value);
    return value;
  }

  private static String text(ByteBuffer in) {
    byte[] value = bytes(in);
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }
}
