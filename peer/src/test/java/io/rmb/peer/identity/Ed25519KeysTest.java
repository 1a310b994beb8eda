package io.rmb.peer.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.util.Arrays;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ed25519KeysTest {
  private static final String DEV = SecretUri.DEV_PHRASE;

  /**
   * Seeds derived from secret URIs. Published with the Dart port of substrate-bip39
   * ({@code seedFromUri} tests) and re-computed with an independent Python implementation
   * before being copied here; //Alice also matches the shared vectors.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "//Alice | abf8e5bdbe30c65656c0a3cbd181ff8a56294a69dfedd27982aace4a76909115",
    "//Bob | 3b7b60af2abcd57ba401ab398f84f4ca54bd6b2140d2503fbcf3286535fe3ff1",
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon"
        + " about//Alice | 44619e7d561115c143d6926973562c86cf5b31c915e9c0a5294e7c74dabfb17b",
    DEV + "//1//2//3 | b4b62b076ae5e9b63dc6a976924fa7a83bf0e7d2d627bd4374344f78c871e248",
    DEV + "//18446744073709551616"
        + " | e95232125504305f665b8e8c891e1e1e87fcbb0b4eff38a9e100862207d2ce97",
    DEV + "//18446744073709551615"
        + " | 62f06c42dd25e780d5be1610c571e5eaa30fc3d510d946f92fb88f17e94449a7",
    DEV + "//0 | f8dfdb0f1103d9fb2905204ac32529d5f148761c4321b2865b0a40e15be75f57",
    DEV + "//-1 | 42fa53169f3fcff0bb2992abb50f40324779794e6833e788e7d18947feb0790b",
    DEV + "//0xFF | ae2383139b3aa529c5997ed82f62def14243fbf92bc9ef7badf72e0ff289ea82",
    DEV + "//00011111 | ebbc952247ed4c148e0d7ec2a60d8ee12d656240ea4f64065412a6feafadfb63",
  })
  void derivedSeeds(String suri, String seedHex) {
    SecretUri uri = SecretUri.parse(suri);
    assertThat(Ed25519Keys.derive(uri.rootSecret(), uri.junctions()))
        .isEqualTo(Hex.decode(seedHex));
  }

  @Test
  void hardStepHashesScaleTagSeedAndChainCode() {
    byte[] seed = new byte[32];
    byte[] chainCode = Junction.chainCode("x");
    byte[] preimage = Arrays.concatenate(
        new byte[] {0x2c}, "Ed25519HDKD".getBytes(StandardCharsets.US_ASCII), seed, chainCode);
    assertThat(Ed25519Keys.deriveHard(seed, chainCode))
        .isEqualTo(Hashes.blake2b256(preimage));
  }

  @Test
  void publicKeyOfAliceSeed() {
    assertThat(Ed25519Keys.publicKey(
            Hex.decode("abf8e5bdbe30c65656c0a3cbd181ff8a56294a69dfedd27982aace4a76909115")))
        .isEqualTo(
            Hex.decode("88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"));
  }

  @Test
  void softJunctionIsRefusedWithItsPosition() {
    SecretUri uri = SecretUri.parse("//a//b/c");
    assertThatThrownBy(() -> Ed25519Keys.derive(uri.rootSecret(), uri.junctions()))
        .isInstanceOf(InvalidSecretException.class)
        .hasMessageContaining("soft derivation not supported for ed25519")
        .hasMessageContaining("junction 3 is soft");
    assertThatThrownBy(() -> Identity.fromSecret("/soft", KeyType.ED25519))
        .isInstanceOf(InvalidSecretException.class)
        .hasMessageContaining("junction 1 is soft");
  }

  @Test
  void signerIsDeterministicAndPrefixed() {
    Ed25519Signer signer = new Ed25519Signer(new byte[32]);
    byte[] message = "m".getBytes(StandardCharsets.US_ASCII);
    byte[] signature = signer.sign(message);
    assertThat(signature).hasSize(65).isEqualTo(signer.sign(message));
    assertThat(signature[0]).isEqualTo((byte) 0x65);
    assertThat(signer.keyType()).isEqualTo(KeyType.ED25519);
    assertThat(signer.toString()).startsWith("Ed25519Signer[5").doesNotContain("0000000000");
  }
}
