package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.streams.record.RmbHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class StagesTest {
  private static final Clock READ_AT = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);

  @Test
  void splitsARoundTripAtTheAnswerAndOutcomeTimestamps() {
    Stages stages = new Stages(10, READ_AT);
    stages.answered(record("rmb.gateway.answers", "uid-1", 930, new RecordHeaders()));
    RecordHeaders headers = new RecordHeaders();
    headers.add(RmbHeaders.UID, "uid-1".getBytes(StandardCharsets.UTF_8));
    // sent at 900, answered at 930, outcome produced at 980, read at 1000
    stages.outcome(record("rmb.responses", "ref-1", 980, headers), 900L);

    assertThat(stages.line()).isEqualTo("stages p50/p99 (ms): request+network 30/30,"
        + " answers hop 50/50, outcome hop 20/20 (1 samples, 0 unmatched)");
  }

  @Test
  void anOutcomeWithoutItsAnswerIsCountedNotGuessed() {
    Stages stages = new Stages(10, READ_AT);
    RecordHeaders headers = new RecordHeaders();
    headers.add(RmbHeaders.UID, "never-seen".getBytes(StandardCharsets.UTF_8));
    stages.outcome(record("rmb.responses", "ref-1", 980, headers), 900L);

    assertThat(stages.line()).isEqualTo("stages p50/p99 (ms): request+network -,"
        + " answers hop -, outcome hop - (0 samples, 1 unmatched)");
  }

  private static ConsumerRecord<byte[], byte[]> record(String topic, String key, long timestamp,
      RecordHeaders headers) {
    return new ConsumerRecord<>(topic, 0, 0L, timestamp, TimestampType.CREATE_TIME, 0, 0,
        key.getBytes(StandardCharsets.UTF_8), new byte[0], headers, Optional.empty());
  }
}
