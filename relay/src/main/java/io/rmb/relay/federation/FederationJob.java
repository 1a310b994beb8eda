package io.rmb.relay.federation;

import java.util.Objects;

/**
 * One envelope waiting to be posted to another relay.
 *
 * @param id the queue's id for it (a Redis stream id, or a sequence number in memory)
 * @param envelope the bytes exactly as received
 * @param deadline unix seconds after which it is given up
 */
public record FederationJob(String id, byte[] envelope, long deadline) {
  public FederationJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(envelope, "envelope");
  }

  @Override
  public String toString() {
    return "FederationJob{id=" + id + ", bytes=" + envelope.length + ", deadline=" + deadline
        + "}";
  }
}
