package io.rmb.streams.topology;

import java.util.Objects;

/**
 * A reply whose request the incoming index did not know yet, kept for a short grace period:
 * the index is fed by its own topic and may lag the replies by a few milliseconds.
 *
 * @param value the reply record's value, parsed again when it is retried
 * @param parkedAtMillis when it was parked (epoch ms)
 */
public record ParkedReply(byte[] value, long parkedAtMillis) {
  public ParkedReply {
    Objects.requireNonNull(value, "value");
  }
}
