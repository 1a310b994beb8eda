package io.rmb.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.streams.record.Answer;
import org.junit.jupiter.api.Test;

class HeldAnswersTest {
  private final HeldAnswers held = new HeldAnswers();

  @Test
  void earlyAnswersAreTakenOnceByUid() {
    Answer first = answerOf(8);
    Answer second = answerOf(9);
    assertThat(held.holdEarly("u1", first)).isTrue();
    assertThat(held.holdEarly("u1", second)).isTrue();
    assertThat(held.holdEarly("u2", first)).isTrue();

    assertThat(held.takeEarly("u1")).containsExactly(first, second);
    assertThat(held.takeEarly("u1")).isEmpty();
    assertThat(held.dropEarly()).isEqualTo(1); // u2's answer
    assertThat(held.takeEarly("u2")).isEmpty();
  }

  @Test
  void earlyAnswersAreBounded() {
    for (int i = 0; i < HeldAnswers.MAX_EARLY_ANSWERS; i++) {
      assertThat(held.holdEarly("u" + (i % 7), answerOf(8))).isTrue();
    }
    assertThat(held.holdEarly("late", answerOf(8))).isFalse();
    assertThat(held.takeEarly("late")).isEmpty();
    held.takeEarly("u0");
    assertThat(held.holdEarly("late", answerOf(8))).isTrue(); // taking frees room
  }

  @Test
  void aDeliveredAnswerIsRecognisedOnceByUidAndTwin() {
    held.delivered("u1", 8);
    assertThat(held.takeDelivered("u1", 9)).isFalse();
    assertThat(held.takeDelivered("u2", 8)).isFalse();
    assertThat(held.takeDelivered("u1", 8)).isTrue();
    assertThat(held.takeDelivered("u1", 8)).isFalse();
  }

  @Test
  void theOldestDeliveredKeyIsForgottenFirst() {
    for (int i = 0; i <= HeldAnswers.MAX_DELIVERED_LOCALLY; i++) {
      held.delivered("u" + i, 8);
    }
    assertThat(held.takeDelivered("u0", 8)).isFalse();
    assertThat(held.takeDelivered("u1", 8)).isTrue();
    assertThat(held.takeDelivered("u" + HeldAnswers.MAX_DELIVERED_LOCALLY, 8)).isTrue();
  }

  private static Answer answerOf(long twin) {
    return Answer.response(twin, new byte[] {1}, "application/json");
  }
}
