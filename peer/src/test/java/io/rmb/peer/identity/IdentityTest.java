package io.rmb.peer.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class IdentityTest {
  private static final String M1 = SecretUriTest.M1;

  @Test
  void toStringNeverShowsSecrets() {
    Identity identity = Identity.fromSecret(M1, KeyType.ED25519);
    String text = identity.toString();
    assertThat(text)
        .isEqualTo("Identity[ed25519 5CF3xP5fy7vvKiA5VAwPXXiFC2d32MUHk4st6E3JEyekr7dW, e2e yes]")
        .doesNotContain("volume", SecretUriTest.SEED.substring(0, 16));
    assertThat(identity.signer().toString()).doesNotContain("volume");
    assertThat(Identity.fromSecret("0x" + SecretUriTest.SEED + "//1", KeyType.ED25519).toString())
        .doesNotContain(SecretUriTest.SEED.substring(0, 16))
        .endsWith("e2e no]");
  }

  @Test
  void accessorsReturnCopies() {
    Identity identity = Identity.fromSecret(M1, KeyType.ED25519);
    identity.publicKey()[0] ^= 1;
    identity.e2eSecret().orElseThrow()[0] ^= 1;
    identity.e2ePublicKey().orElseThrow()[0] ^= 1;
    identity.signer().publicKey()[0] ^= 1;
    assertThat(Hex.toHexString(identity.publicKey())).startsWith("07e41c92");
    assertThat(Hex.toHexString(identity.e2eSecret().orElseThrow())).startsWith("b3723183");
    assertThat(Hex.toHexString(identity.e2ePublicKey().orElseThrow())).startsWith("037135b4");
    assertThat(Hex.toHexString(identity.signer().publicKey())).startsWith("07e41c92");
  }

  @Test
  void sameSecretSameKeysAndSs58MatchesPublicKey() {
    Identity a = Identity.fromSecret(M1, KeyType.ED25519, new SecureRandom());
    Identity b = Identity.fromSecret("  " + M1.replace(" ", "\t") + "\n", KeyType.ED25519);
    assertThat(a.publicKey()).isEqualTo(b.publicKey());
    assertThat(Ss58.decode(a.ss58())).isEqualTo(a.publicKey());
    assertThat(a.signer().keyType()).isEqualTo(KeyType.ED25519);
  }

  @Test
  void badSecretsRaiseInvalidSecretException() {
    String[][] cases = {
      {null, "secret is null"},
      {"", "secret is empty"},
      {"   ", "secret is empty"},
      {M1.replace("film", "flim"), "unknown mnemonic word at position 11"},
      {M1.replace("volume", "increase"), "checksum"},
      {"volume behind cable", "got 3"},
      {"0xzz" + SecretUriTest.SEED.substring(2), "non-hex character"},
      {"0x" + SecretUriTest.SEED.substring(2), "got 62"},
      {M1 + "//rmb/soft", "soft derivation not supported for ed25519"},
      {M1 + "//rmb/", "junction 2 is empty"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> Identity.fromSecret(c[0], KeyType.ED25519))
          .as(String.valueOf(c[0]))
          .isInstanceOf(InvalidSecretException.class)
          .hasMessageContaining(c[1]);
    }
  }

  @Test
  void nullKeyTypeOrRngIsAProgrammingError() {
    assertThatThrownBy(() -> Identity.fromSecret(M1, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("key type");
    assertThatThrownBy(() -> Identity.fromSecret(M1, KeyType.ED25519, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("rng");
  }

  @Tag("sr25519")
  @Test
  void sr25519IdentityOfAlice() {
    Identity alice = Identity.fromSecret("//Alice", KeyType.SR25519, new SecureRandom());
    assertThat(alice.ss58()).isEqualTo("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
    assertThat(alice.e2eSecret()).isEmpty();
    assertThat(alice.signer().keyType()).isEqualTo(KeyType.SR25519);
    byte[] message = {1, 2, 3};
    SignatureVerifier.verify(alice.publicKey(), message, alice.signer().sign(message));
  }

  @Tag("sr25519")
  @Test
  void sr25519SoftDerivationGivesTheVectorKeyEachTime() {
    // A soft step randomises the nonce but not the public key.
    Identity a = Identity.fromSecret(M1 + "//rmb/soft", KeyType.SR25519, new SecureRandom());
    Identity b = Identity.fromSecret(M1 + "//rmb/soft", KeyType.SR25519, new SecureRandom());
    assertThat(a.ss58()).isEqualTo("5Ev1HCd18sJs8pguEH9P6xiehretn86f5J3ExFQf7WpzyGBA")
        .isEqualTo(b.ss58());
  }
}
