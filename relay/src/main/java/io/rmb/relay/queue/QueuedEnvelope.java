package io.rmb.relay.queue;

import java.util.Objects;

/**
 * One envelope waiting in the {@link OfflineQueue}.
 *
 * @param id the backend's id for the entry (a sequence number in memory, a stream id in
 *     Redis); only meaningful to the queue that returned it
 * @param envelope the envelope bytes exactly as received; must not be modified
 * @param deadline unix seconds after which the envelope must not be delivered
 */
public record QueuedEnvelope(String id, byte[] envelope, long deadline) {
  public QueuedEnvelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(envelope, "envelope");
  }

  /** True when the envelope's deadline is reached at {@code nowSeconds} (its TTL is <= 0). */
  public boolean expiredAt(long nowSeconds) {
    return deadline <= nowSeconds;
  }

  @Override
  public String toString() {
    return "QueuedEnvelope{id=" + id + ", bytes=" + envelope.length + ", deadline=" + deadline
        + "}";
  }
}
