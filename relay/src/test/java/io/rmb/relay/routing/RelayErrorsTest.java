package io.rmb.relay.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.rmb.proto.Envelope;
import io.rmb.proto.Error;
import io.rmb.proto.Pong;
import io.rmb.proto.Response;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.testing.MutableClock;
import io.rmb.relay.testing.TestEnvelopes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelayErrorsTest {
  private final MutableClock clock = MutableClock.fixed(); // 2024-01-01T00:00:00Z = 1704067200

  private Envelope offending() {
    return TestEnvelopes.request(SessionKey.of(1, "web"), SessionKey.of(2), clock)
        .setUid("u1")
        .setTimestamp(1704067000)
        .setExpiration(60)
        .setTags("a,b")
        .setSignature(ByteString.copyFrom(new byte[65]))
        .build();
  }

  @Test
  void errorEnvelopeBytesAreExactlyWhatRmbRsSends() {
    Envelope error = RelayErrors.errorFor(offending(), "message wrong source",
        SessionKey.of(1, "web"), clock);

    // uid "u1", timestamp now, expiration 300, destination {1, "web"},
    // error {message} (code 0 is proto3's default, not written); nothing else
    assertThat(Hex.toHexString(error.toByteArray())).isEqualTo("0a0275311880"
        + "81c8ac0620ac02320708011203776562621612146d6573736167652077726f6e6720736f75726365");
  }

  @Test
  void errorEnvelopeHasOnlyUidStampDestinationAndError() throws IOException {
    Envelope error = RelayErrors.errorFor(offending(), "unknown twin destination",
        SessionKey.of(1), clock);

    assertThat(fieldNumbers(error.toByteArray())).containsExactly(1, 3, 4, 6, 12);
    assertThat(error.getUid()).isEqualTo("u1");
    assertThat(error.getTimestamp()).isEqualTo(1704067200);
    assertThat(error.getExpiration()).isEqualTo(300);
    assertThat(error.hasSource()).isFalse();
    assertThat(error.hasSignature()).isFalse();
    assertThat(error.hasTags()).isFalse();
    assertThat(error.getError())
        .isEqualTo(Error.newBuilder().setCode(0).setMessage("unknown twin destination").build());
    assertThat(error.getDestination().getTwin()).isEqualTo(1);
    assertThat(error.getDestination().hasConnection()).isFalse();
  }

  @Test
  void onlyRequestsAreAnswered() {
    Envelope request = offending();

    assertThat(RelayErrors.answers(request)).isTrue();
    assertThat(RelayErrors.answers(request.toBuilder().setResponse(Response.getDefaultInstance())
        .build())).isFalse();
    assertThat(RelayErrors.answers(request.toBuilder().setError(Error.getDefaultInstance())
        .build())).isFalse();
    assertThat(RelayErrors.answers(request.toBuilder().setPong(Pong.getDefaultInstance())
        .build())).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"fail-fast", "a,fail-fast", "fail-fast b", " x ,\tfail-fast,y",
      "a, fail-fast"})
  void failFastIsAToken(String tags) {
    assertThat(RelayErrors.isFailFast(offending().toBuilder().setTags(tags).build())).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "failfast", "Fail-Fast", "fail-fast-ish", "no-fail-fast",
      "fail_fast"})
  void failFastMatchesExactly(String tags) {
    assertThat(RelayErrors.isFailFast(offending().toBuilder().setTags(tags).build())).isFalse();
  }

  @Test
  void noTagsIsNotFailFast() {
    assertThat(RelayErrors.isFailFast(offending().toBuilder().clearTags().build())).isFalse();
  }

  private static List<Integer> fieldNumbers(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    List<Integer> fields = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      fields.add(WireFormat.getTagFieldNumber(tag));
      in.skipField(tag);
    }
    return fields;
  }
}
