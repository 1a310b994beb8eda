package io.rmb.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlineIndexTest {
  private static InFlight request(String uid, long deadline) {
    return new InFlight(uid, "ref-" + uid, null, null, null, "rmb.responses", null,
        "rmb.requests", 0, 0, "cmd", null, null, null, 0, deadline, 0, List.of(7L));
  }

  @Test
  void dueSlotsComeInTimeOrderUpToAndIncludingNow() {
    DeadlineIndex index = new DeadlineIndex();
    index.add(request("c", 3_000));
    index.add(request("b", 1_000));
    index.add(request("a", 2_000));
    index.add(request("z", 2_000));
    index.add(request("late", 2_001));

    assertThat(index.due(999)).isEmpty();
    assertThat(index.due(2_000)).extracting(DeadlineIndex.Slot::uid)
        .containsExactly("b", "a", "z");
    assertThat(index.due(Long.MAX_VALUE)).extracting(DeadlineIndex.Slot::uid)
        .containsExactly("b", "a", "z", "late", "c");
  }

  @Test
  void timesBeyondTenDigitsAndAtZeroOrderNumerically() {
    DeadlineIndex index = new DeadlineIndex();
    index.add(request("far", 100_000_000_000_000L));
    index.add(request("near", 9));
    index.add(request("zero", 0));
    assertThat(index.due(Long.MAX_VALUE)).extracting(DeadlineIndex.Slot::uid)
        .containsExactly("zero", "near", "far");
  }

  @Test
  void aRemovedRequestIsNoLongerDueButItsDoneMarkerIs() {
    DeadlineIndex index = new DeadlineIndex();
    InFlight entry = request("u", 1_000);
    index.add(entry);
    index.remove(entry);
    index.markerPurgedAt(entry.done(), 5_000);

    assertThat(index.due(4_999)).isEmpty();
    assertThat(index.due(5_000)).containsExactly(new DeadlineIndex.Slot(5_000, "u"));
    index.remove(index.due(5_000).get(0));
    assertThat(index.due(Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void dueIsACopySoSlotsCanBeRemovedWhileWalkingIt() {
    DeadlineIndex index = new DeadlineIndex();
    index.add(request("a", 1));
    index.add(request("b", 2));
    for (DeadlineIndex.Slot slot : index.due(10)) {
      index.remove(slot);
    }
    assertThat(index.due(Long.MAX_VALUE)).isEmpty();
  }
}
