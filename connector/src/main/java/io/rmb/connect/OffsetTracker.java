package io.rmb.connect;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which consumed records still wait for durable results (outcomes written, reply sent), per
 * partition, and so which offset may be committed: the one after the highest record that has
 * no unfinished record before it. Thread-safe: results complete on producer and peer threads.
 */
final class OffsetTracker {
  private static final class Partition {
    /** Offset -> results still missing; removed from the head once 0. */
    final TreeMap<Long, Integer> missing = new TreeMap<>();
    /** The offset to commit next, -1 until a record finished. */
    long next = -1;
  }

  private final Map<TopicPartition, Partition> partitions = new HashMap<>();
  private int pendingRecords;

  /**
   * Starts tracking a record that needs {@code results} completions. A redelivered offset
   * (after a rewind) replaces its earlier entry.
   */
  synchronized void track(TopicPartition partition, long offset, int results) {
    if (results < 1) {
      throw new IllegalArgumentException("a tracked record needs at least one result");
    }
    Integer before = partitions.computeIfAbsent(partition, p -> new Partition()).missing
        .put(offset, results);
    if (before == null || before == 0) {
      pendingRecords++;
    }
  }

  /** One result of the record is durable; ignored for partitions no longer assigned. */
  synchronized void complete(TopicPartition partition, long offset) {
    Partition state = partitions.get(partition);
    Integer missing = state == null ? null : state.missing.get(offset);
    if (missing == null || missing == 0) {
      return;
    }
    state.missing.put(offset, missing - 1);
    if (missing == 1) {
      pendingRecords--;
    }
  }

  /** Offsets safe to commit: per partition, the offset after the last contiguous finished record. */
  synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    partitions.forEach((partition, state) -> {
      while (!state.missing.isEmpty() && state.missing.firstEntry().getValue() == 0) {
        state.next = state.missing.pollFirstEntry().getKey() + 1;
      }
      if (state.next >= 0) {
        offsets.put(partition, new OffsetAndMetadata(state.next));
      }
    });
    return offsets;
  }

  /** Forgets revoked partitions: their unfinished records are redelivered to the new owner. */
  synchronized void revoke(Collection<TopicPartition> revoked) {
    for (TopicPartition partition : revoked) {
      Partition state = partitions.remove(partition);
      if (state != null) {
        pendingRecords -= (int) state.missing.values().stream().filter(m -> m > 0).count();
      }
    }
  }

  /** Records still waiting for a result. */
  synchronized int pending() {
    return pendingRecords;
  }
}
