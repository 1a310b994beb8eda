package io.rmb.streams.topology;

import java.util.Objects;

/**
 * An incoming request in the incoming index (keyed by its uid): who sent it and until when a
 * reply is still useful.
 *
 * @param src the source, {@code "<twin>[:<session>]"}
 * @param deadlineMillis the request's deadline (epoch ms)
 */
public record IncomingEntry(String src, long deadlineMillis) {
  public IncomingEntry {
    Objects.requireNonNull(src, "src");
  }

  /** The serde of index values, for the network side that writes them. */
  public static org.apache.kafka.common.serialization.Serde<IncomingEntry> serde() {
    return new JsonSerde<>(IncomingEntry.class);
  }
}
