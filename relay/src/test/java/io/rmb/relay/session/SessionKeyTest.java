package io.rmb.relay.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.proto.Address;
import org.junit.jupiter.api.Test;

class SessionKeyTest {
  @Test
  void emptySessionIdMeansNone() {
    assertThat(SessionKey.of(7, "")).isEqualTo(SessionKey.of(7));
    assertThat(SessionKey.of(7, "").sid()).isNull();
    assertThat(SessionKey.of(Address.newBuilder().setTwin(7).setConnection("").build()))
        .isEqualTo(SessionKey.of(7));
  }

  @Test
  void sessionIdsAreCaseSensitive() {
    assertThat(SessionKey.of(7, "Web")).isNotEqualTo(SessionKey.of(7, "web"));
  }

  @Test
  void addressRoundTrip() {
    Address withSid = SessionKey.of(7, "web").toAddress();
    Address without = SessionKey.of(7).toAddress();

    assertThat(withSid.getTwin()).isEqualTo(7);
    assertThat(withSid.getConnection()).isEqualTo("web");
    assertThat(without.hasConnection()).as("no connection field, not an empty one").isFalse();
    assertThat(SessionKey.of(withSid)).isEqualTo(SessionKey.of(7, "web"));
  }

  @Test
  void largeTwinIdsAreUnsigned() {
    Address address = Address.newBuilder().setTwin((int) 0xffff_fffeL).build();

    assertThat(SessionKey.of(address).twin()).isEqualTo(0xffff_fffeL);
    assertThat(SessionKey.of(0xffff_fffeL).toAddress()).isEqualTo(address);
  }

  @Test
  void missingAddressIsTwinZero() {
    assertThat(SessionKey.of((Address) null).isEmpty()).isTrue();
    assertThat(SessionKey.of(Address.getDefaultInstance()).isEmpty()).isTrue();
  }

  @Test
  void rejectsNonU32Twins() {
    assertThatThrownBy(() -> SessionKey.of(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SessionKey.of(1L << 32))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void printsLikeRmbRs() {
    assertThat(SessionKey.of(7)).hasToString("7");
    assertThat(SessionKey.of(7, "web")).hasToString("7:web");
  }
}
