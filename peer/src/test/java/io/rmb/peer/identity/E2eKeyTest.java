package io.rmb.peer.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.peer.crypto.E2eKeyPair;
import java.util.Optional;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class E2eKeyTest {
  /** The e2e key a secret URI stands for, as Identity derives it. */
  static Optional<E2eKeyPair> e2eOf(String suri) {
    SecretUri uri = SecretUri.parse(suri);
    return uri.isBare() ? Optional.of(E2eKeyPair.fromSecret(uri.rootSecret())) : Optional.empty();
  }

  private static final String N =
      "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"; // secp256k1 order
  private static final String G_X =
      "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

  @Test
  void scalarOneAndOrderMinusOneGiveGeneratorAndItsNegation() {
    E2eKeyPair one = e2eOf("0x" + "00".repeat(31) + "01").orElseThrow();
    assertThat(Hex.toHexString(one.publicKey())).isEqualTo("02" + G_X);
    String nMinusOne = N.substring(0, 62) + "40";
    E2eKeyPair last = e2eOf("0x" + nMinusOne).orElseThrow();
    assertThat(Hex.toHexString(last.publicKey())).isEqualTo("03" + G_X);
    assertThat(last.secret()).isEqualTo(Hex.decode(nMinusOne));
    assertThat(Identity.fromSecret("0x" + nMinusOne, KeyType.ED25519).e2eKeyPair())
        .hasValueSatisfying(k -> assertThat(k.publicKey()).isEqualTo(last.publicKey()));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "0000000000000000000000000000000000000000000000000000000000000000",
    N,
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
  })
  void seedOutsideTheCurveOrderIsRefused(String seed) {
    assertThatThrownBy(() -> Identity.fromSecret("0x" + seed, KeyType.ED25519))
        .isInstanceOf(InvalidSecretException.class)
        .hasMessageContaining("not a valid secp256k1 secret key");
  }

  @Test
  void seedOutsideTheCurveOrderIsFineOnceDerived() {
    // With a path there is no e2e key, so the secp256k1 range does not matter.
    Identity identity = Identity.fromSecret("0x" + "00".repeat(32) + "//1", KeyType.ED25519);
    assertThat(identity.e2eSecret()).isEmpty();
  }

  @Test
  void absentForEveryNonBareSecret() {
    String m1 = SecretUriTest.M1;
    for (String suri : new String[] {m1 + "///", m1 + "///pw", m1 + "//1", "//Alice",
        "0x" + SecretUriTest.SEED + "//x", "0x" + SecretUriTest.SEED + "///"}) {
      assertThat(e2eOf(suri)).as(suri).isEmpty();
    }
    assertThat(e2eOf(m1)).isPresent();
    assertThat(e2eOf("0x" + SecretUriTest.SEED)).isPresent();
  }
}
