package io.rmb.streams.topology;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Envelope uids of the gateway: {@code <name-based UUID>.<partition>}.
 *
 * <p>The UUID is derived from the application id and the request record's coordinates and
 * timestamp, so a record processed again after a crash gets the same uid (its answers still
 * correlate and the store drops duplicates), while a topic deleted and re-created (offsets
 * start over) does not repeat uids, which remote replay guards would drop. The suffix is the
 * input partition: an answer that arrives in a process that has no memory of the request
 * (after a restart or rebalance) is written to that partition of the answers topic, where the
 * task that owns the request's in-flight state reads it.
 */
public final class Uids {
  private Uids() {}

  /** The uid of the request record at these coordinates. */
  public static String of(String applicationId, String topic, int partition, long offset,
      long timestamp) {
    String name = applicationId + '\n' + topic + '\n' + partition + '\n' + offset + '\n'
        + timestamp;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)) + "." + partition;
  }

  /** The input partition a gateway uid names; empty for any other uid. */
  public static OptionalInt partitionOf(String uid) {
    int dot = uid == null ? -1 : uid.lastIndexOf('.');
    if (dot < 0 || dot == uid.length() - 1) {
      return OptionalInt.empty();
    }
    try {
      int partition = Integer.parseInt(uid.substring(dot + 1));
      return partition < 0 ? OptionalInt.empty() : OptionalInt.of(partition);
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
