package io.rmb.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class UidsTest {
  @Test
  void theSameRecordGetsTheSameUidAndOtherRecordsDoNot() {
    String uid = Uids.of("app", "rmb.requests", 2, 17, 1000);

    assertThat(Uids.of("app", "rmb.requests", 2, 17, 1000)).isEqualTo(uid);
    assertThat(Uids.of("app", "rmb.requests", 2, 17, 1001)).isNotEqualTo(uid);
    assertThat(Uids.of("app", "rmb.requests", 2, 18, 1000)).isNotEqualTo(uid);
    assertThat(Uids.of("other", "rmb.requests", 2, 17, 1000)).isNotEqualTo(uid);
    assertThat(uid).matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\\.2");
  }

  @Test
  void thePartitionIsReadBackAndForeignUidsNameNone() {
    assertThat(Uids.partitionOf(Uids.of("app", "t", 11, 0, 0))).isEqualTo(OptionalInt.of(11));
    assertThat(Uids.partitionOf("5b2e0a3c-6f1d-4c8e-9b1a-2d3e4f5a6b7c")).isEmpty();
    assertThat(Uids.partitionOf("x.")).isEmpty();
    assertThat(Uids.partitionOf("x.-1")).isEmpty();
    assertThat(Uids.partitionOf(null)).isEmpty();
  }
}
