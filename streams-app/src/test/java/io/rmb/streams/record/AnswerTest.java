package io.rmb.streams.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.peer.runtime.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one mapping from peer-runtime outcomes to answers, shared by Streams and Connect. */
class AnswerTest {

  @Test
  void responsesErrorsAndTimeoutsMapToTheirAnswer() {
    Answer response = Answer.of(new Outcome.Response(11,
        "{}".getBytes(StandardCharsets.UTF_8), "application/json"));
    assertThat(response.twin()).isEqualTo(11);
    assertThat(response.status()).isEqualTo(Answer.Status.RESPONSE);
    assertThat(new String(response.payload(), StandardCharsets.UTF_8)).isEqualTo("{}");
    assertThat(response.schema()).isEqualTo("application/json");

    Answer error = Answer.of(new Outcome.Error(12, Outcome.Origin.LOCAL, 103, "unknown twin"));
    assertThat(error.status()).isEqualTo(Answer.Status.ERROR);
    assertThat(error.twin()).isEqualTo(12);
    assertThat(error.code()).isEqualTo(103);
    assertThat(error.message()).isEqualTo("unknown twin");

    Answer timeout = Answer.of(new Outcome.Timeout(13, Instant.EPOCH));
    assertThat(timeout.status()).isEqualTo(Answer.Status.TIMEOUT);
    assertThat(timeout.twin()).isEqualTo(13);
    assertThat(timeout.code()).isEqualTo(408);
    assertThat(timeout.message()).isEqualTo("no response before expiration");
  }
}
