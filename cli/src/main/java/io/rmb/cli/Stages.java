package io.rmb.cli;

import io.rmb.streams.record.RmbHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Where the time of a round trip through Kafka goes, from record timestamps taken in this
 * one process (one clock, millisecond resolution): request sent -> answer written to the
 * answers topic by the gateway's peer callback (request hop, stream thread, peer, relay,
 * echo twin), answer written -> outcome produced by the stream thread (answers hop), outcome
 * produced -> outcome read by the demo (outcome hop). Used by the reader thread only.
 */
final class Stages {
  private final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
  private final Clock clock;
  private final long[][] samples;
  private int count;
  private int unmatched;

  Stages(int capacity, Clock clock) {
    this.samples = new long[3][capacity];
    this.clock = clock;
  }

  /** An answer record: its CreateTime is when the gateway's peer got the answer. */
  void answered(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() != null) {
      answeredAt.put(new String(record.key(), StandardCharsets.UTF_8), record.timestamp());
    }
  }

  /** An outcome record (timestamped by the stream thread) read now, for a request sent at. */
  void outcome(ConsumerRecord<byte[], byte[]> record, Long sentAtMillis) {
    Header uid = record.headers().lastHeader(RmbHeaders.UID);
    Long answered = uid == null ? null
        : answeredAt.remove(new String(uid.value(), StandardCharsets.UTF_8));
    if (answered == null || sentAtMillis == null || count == samples[0].length) {
      unmatched++;
      return;
    }
    long now = clock.millis();
    samples[0][count] = answered - sentAtMillis;
    samples[1][count] = record.timestamp() - answered;
    samples[2][count] = now - record.timestamp();
    count++;
  }

  /** p50 and p99 of each stage, in ms. */
  String line() {
    return String.format(Locale.ROOT, "stages p50/p99 (ms): request+network %s, answers hop %s,"
        + " outcome hop %s (%d samples, %d unmatched)", pct(0), pct(1), pct(2), count,
        unmatched);
  }

  private String pct(int stage) {
    if (count == 0) {
      return "-";
    }
    long[] sorted = Arrays.copyOf(samples[stage], count);
    Arrays.sort(sorted);
    return sorted[(count - 1) / 2] + "/" + sorted[Math.max(0, (int) Math.ceil(0.99 * count) - 1)];
  }
}
