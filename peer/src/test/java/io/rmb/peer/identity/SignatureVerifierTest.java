package io.rmb.peer.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed input to {@link SignatureVerifier}: always its own exception, named problem. */
class SignatureVerifierTest {
  private static final Identity ALICE_ED = Identity.fromSecret("//Alice", KeyType.ED25519);
  private static final byte[] MESSAGE = "challenge".getBytes(StandardCharsets.UTF_8);

  private static byte[] validSignature() {
    return ALICE_ED.signer().sign(MESSAGE);
  }

  @Test
  void acceptsOwnSignatureIncludingEmptyMessage() {
    SignatureVerifier.verify(ALICE_ED.publicKey(), MESSAGE, validSignature());
    byte[] empty = new byte[0];
    SignatureVerifier.verify(ALICE_ED.publicKey(), empty, ALICE_ED.signer().sign(empty));
  }

  @Test
  void nullArguments() {
    assertRejected(ALICE_ED.publicKey(), MESSAGE, null, "signature is null");
    assertRejected(null, MESSAGE, validSignature(), "public key is null");
    assertRejected(ALICE_ED.publicKey(), null, validSignature(), "message is null");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 64, 66, 128})
  void signatureOfWrongLength(int length) {
    byte[] signature = new byte[length];
    if (length > 0) {
      signature[0] = 'e';
    }
    assertRejected(ALICE_ED.publicKey(), MESSAGE, signature,
        "signature must be 65 bytes (prefix byte + 64), got " + length);
  }

  @ParameterizedTest
  @ValueSource(ints = {0x00, 'E', 'S', 'x', 0xff})
  void unknownPrefix(int prefix) {
    byte[] signature = validSignature();
    signature[0] = (byte) prefix;
    assertRejected(ALICE_ED.publicKey(), MESSAGE, signature,
        String.format("unknown signature prefix 0x%02x", prefix));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 31, 33, 64})
  void publicKeyOfWrongLength(int length) {
    assertRejected(new byte[length], MESSAGE, validSignature(),
        "public key must be 32 bytes, got " + length);
  }

  @Test
  void everySingleBitFlipOfAnEd25519SignatureIsRejected() {
    byte[] pk = ALICE_ED.publicKey();
    byte[] good = validSignature();
    for (int bit = 8; bit < 65 * 8; bit++) { // skip the prefix byte
      byte[] bad = good.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(SignatureVerifier.isValid(pk, MESSAGE, bad)).as("bit %d", bit).isFalse();
    }
  }

  @Test
  void wrongKeyAndAlteredMessageAreRejected() {
    byte[] bob = Identity.fromSecret("//Bob", KeyType.ED25519).publicKey();
    assertRejected(bob, MESSAGE, validSignature(), "ed25519 signature does not verify");
    assertRejected(ALICE_ED.publicKey(), "challengf".getBytes(StandardCharsets.UTF_8),
        validSignature(), "ed25519 signature does not verify");
  }

  @Test
  void publicKeyThatIsNoCurvePointIsRejectedNotThrown() {
    byte[] notAPoint = new byte[32];
    java.util.Arrays.fill(notAPoint, (byte) 0xff); // y >= p: no valid encoding
    assertRejected(notAPoint, MESSAGE, validSignature(), "ed25519 signature does not verify");
  }

  @Test
  void isValidNeverThrowsOnMalformedInput() {
    assertThat(SignatureVerifier.isValid(null, null, null)).isFalse();
    assertThat(SignatureVerifier.isValid(new byte[3], MESSAGE, new byte[65])).isFalse();
    assertThat(SignatureVerifier.isValid(ALICE_ED.publicKey(), MESSAGE, new byte[65])).isFalse();
  }

  private static void assertRejected(byte[] pk, byte[] message, byte[] signature, String text) {
    assertThatThrownBy(() -> SignatureVerifier.verify(pk, message, signature))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessageContaining(text);
  }
}
