package io.rmb.peer.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rmb.peer.Vectors;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code signatures.*} of the shared vectors: reproduce, accept, reject. */
class SignatureVectorsTest {

  static Stream<Named<JsonNode>> ed25519() {
    return Vectors.array("signatures", "ed25519").map(v -> Named.of(v.get("suri").asText(), v));
  }

  static Stream<Named<JsonNode>> sr25519Random() {
    return Vectors.array("signatures", "sr25519_random")
        .map(v -> Named.of(v.get("suri").asText(), v));
  }

  static Stream<Named<JsonNode>> invalidEd25519() {
    return invalid().filter(n -> n.getPayload().get("type").asText().equals("ed25519"));
  }

  /** sr25519 cases and the 'mismatch' case: the 's' prefix routes both to schnorrkel. */
  static Stream<Named<JsonNode>> invalidNeedingSr25519() {
    return invalid().filter(n -> !n.getPayload().get("type").asText().equals("ed25519"));
  }

  private static Stream<Named<JsonNode>> invalid() {
    return Vectors.array("signatures", "invalid").map(v -> Named.of(v.get("name").asText(), v));
  }

  @ParameterizedTest
  @MethodSource("ed25519")
  void ed25519SignaturesAreReproducedByteForByte(JsonNode v) {
    Identity identity = Identity.fromSecret(v.get("suri").asText(), KeyType.ED25519);
    byte[] message = Vectors.hex(v, "message");
    assertThat(identity.publicKey()).isEqualTo(Vectors.hex(v, "public_key"));

    byte[] signature = identity.signer().sign(message);

    assertThat(signature).isEqualTo(Vectors.hex(v, "rmb_signature_65")).hasSize(65);
    assertThat(signature[0]).isEqualTo((byte) 'e');
    assertThat(Arrays.copyOfRange(signature, 1, 65)).isEqualTo(Vectors.hex(v, "signature"));
    assertThat(identity.signer().sign(message)).isEqualTo(signature); // deterministic
    SignatureVerifier.verify(Vectors.hex(v, "public_key"), message, signature);
    assertThat(SignatureVerifier.isValid(identity.publicKey(), message, signature)).isTrue();
  }

  @ParameterizedTest
  @MethodSource("invalidEd25519")
  void invalidEd25519SignaturesAreRejected(JsonNode v) {
    byte[] pk = Vectors.hex(v, "public_key");
    byte[] message = Vectors.hex(v, "message");
    byte[] signature = Vectors.hex(v, "rmb_signature_65");
    assertThat(SignatureVerifier.isValid(pk, message, signature)).isFalse();
    assertThatThrownBy(() -> SignatureVerifier.verify(pk, message, signature))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessage("ed25519 signature does not verify");
  }

  @Tag("sr25519")
  @ParameterizedTest
  @MethodSource("invalidNeedingSr25519")
  void invalidSr25519AndMismatchedPrefixAreRejected(JsonNode v) {
    byte[] pk = Vectors.hex(v, "public_key");
    byte[] message = Vectors.hex(v, "message");
    byte[] signature = Vectors.hex(v, "rmb_signature_65");
    assertThat(signature[0]).isEqualTo((byte) 's');
    assertThat(SignatureVerifier.isValid(pk, message, signature)).isFalse();
    assertThatThrownBy(() -> SignatureVerifier.verify(pk, message, signature))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessageStartingWith("sr25519 signature does not verify");
  }

  @Tag("sr25519")
  @ParameterizedTest
  @MethodSource("sr25519Random")
  void randomSr25519SignaturesAreAccepted(JsonNode v) {
    byte[] pk = Vectors.hex(v, "public_key");
    byte[] message = Vectors.hex(v, "message");
    SignatureVerifier.verify(pk, message, Vectors.hex(v, "rmb_signature_65"));
    // The same 64 bytes with the 'e' prefix are not an ed25519 signature.
    byte[] asEd25519 = Vectors.hex(v, "rmb_signature_65");
    asEd25519[0] = 'e';
    assertThat(SignatureVerifier.isValid(pk, message, asEd25519)).isFalse();
  }

  @Tag("sr25519")
  @ParameterizedTest
  @MethodSource("sr25519Random")
  void sr25519SignerOutputVerifiesAndIsRandomised(JsonNode v) {
    Identity identity =
        Identity.fromSecret(v.get("suri").asText(), KeyType.SR25519, new SecureRandom());
    byte[] message = Vectors.hex(v, "message");
    byte[] first = identity.signer().sign(message);
    byte[] second = identity.signer().sign(message);
    assertThat(first).hasSize(65);
    assertThat(first[0]).isEqualTo((byte) 's');
    assertThat(first).isNotEqualTo(second);
    assertThat((first[64] & 0x80)).as("schnorrkel marker bit").isEqualTo(0x80);
    SignatureVerifier.verify(Vectors.hex(v, "public_key"), message, first);
    SignatureVerifier.verify(Vectors.hex(v, "public_key"), message, second);
  }
}
