package io.rmb.peer.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rmb.peer.FixedRandom;
import io.rmb.peer.Vectors;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class E2eCipherTest {

  static JsonNode e2e() {
    return Vectors.section("e2e");
  }

  static E2eKeyPair peer(String name) {
    return E2eKeyPair.fromSecret(Vectors.hex(e2e().get("peers").get(name), "secp256k1_secret"));
  }

  static byte[] publicKey(String name) {
    return Vectors.hex(e2e().get("peers").get(name), "public_key_compressed");
  }

  static List<JsonNode> shared() {
    return Vectors.list(e2e().get("shared"));
  }

  static List<JsonNode> payloads() {
    return Vectors.list(e2e().get("aes_gcm"));
  }

  @Test
  void derivesEveryPeersCompressedPublicKey() {
    for (String name : List.of("A", "B", "C")) {
      assertThat(peer(name).publicKey()).as(name).isEqualTo(publicKey(name));
    }
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("shared")
  void sharedKeysMatchAndAreSymmetric(JsonNode c) {
    String a = c.get("a").asText();
    String b = c.get("b").asText();
    byte[] expected = Vectors.hex(c, "shared_key");

    assertThat(new E2eCipher(peer(a), new SecureRandom()).sharedKey(publicKey(b)))
        .isEqualTo(expected);
    assertThat(new E2eCipher(peer(b), new SecureRandom()).sharedKey(publicKey(a)))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("payloads")
  void decryptsVectorPayloadsAndReproducesThemWithTheSameNonce(JsonNode c) {
    E2eCipher receiver = new E2eCipher(peer(c.get("to").asText()), new SecureRandom());
    E2eCipher sender = new E2eCipher(peer(c.get("from").asText()), new SecureRandom());
    byte[] payload = Vectors.hex(c, "payload");
    byte[] plaintext = c.get("plaintext_str").asText().getBytes(StandardCharsets.UTF_8);

    assertThat(receiver.decrypt(Vectors.hex(c, "sender_pk"), payload)).isEqualTo(plaintext);
    assertThat(sender.encrypt(Vectors.hex(c, "receiver_pk"), plaintext, Vectors.hex(c, "nonce")))
        .isEqualTo(payload);
  }

  @Test
  void rejectsTheTamperedVectorPayload() {
    JsonNode c = e2e().get("aes_gcm_invalid");
    E2eCipher receiver = new E2eCipher(peer(c.get("to").asText()), new SecureRandom());

    assertThatThrownBy(() -> receiver.decrypt(publicKey(c.get("from").asText()),
        Vectors.hex(c, "payload")))
        .isInstanceOf(E2eCryptoException.class)
        .hasMessageContaining("authentication");
  }

  @Test
  void encryptUsesTheInjectedRandomForNonces() {
    SecureRandom fixed = new FixedRandom(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    JsonNode ab = payloads().get(0);
    E2eCipher sender = new E2eCipher(peer("A"), fixed);

    assertThat(Hex.toHexString(sender.encrypt(publicKey("B"), "hello world".getBytes(
        StandardCharsets.UTF_8)))).isEqualTo(ab.get("payload").asText());
  }

  @Test
  void roundTripsAnySizeAndUsesFreshNonces() {
    E2eCipher a = new E2eCipher(peer("A"), new SecureRandom());
    E2eCipher b = new E2eCipher(peer("B"), new SecureRandom());
    for (int size : new int[] {0, 1, 15, 16, 17, 1024, 70_000}) {
      byte[] message = new byte[size];
      new SecureRandom().nextBytes(message);
      byte[] first = a.encrypt(publicKey("B"), message);
      byte[] second = a.encrypt(publicKey("B"), message);

      assertThat(first).hasSize(size + 28).isNotEqualTo(second);
      assertThat(b.decrypt(publicKey("A"), first)).isEqualTo(message);
    }
  }

  @Test
  void cacheIsBoundedAndComputesEachPeerOnce() {
    E2eCipher a = new E2eCipher(peer("A"), new SecureRandom(), 1);

    a.sharedKey(publicKey("B"));
    a.sharedKey(publicKey("B"));
    assertThat(a.cachedPeers()).isEqualTo(1);
    a.sharedKey(publicKey("C"));
    assertThat(a.cachedPeers()).isEqualTo(1);
    assertThatThrownBy(() -> new E2eCipher(peer("A"), new SecureRandom(), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 1");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 27})
  void shortPayloadsAreRejectedWithTheirLength(int length) {
    E2eCipher b = new E2eCipher(peer("B"), new SecureRandom());

    assertThatThrownBy(() -> b.decrypt(publicKey("A"), new byte[length]))
        .isInstanceOf(E2eCryptoException.class)
        .hasMessageContaining("at least 28 bytes")
        .hasMessageContaining("got " + length);
  }

  @Test
  void invalidPeerKeysAreRejectedClearly() {
    E2eCipher a = new E2eCipher(peer("A"), new SecureRandom());
    byte[] notOnCurve = publicKey("B");
    notOnCurve[32] ^= 1;
    byte[] badPrefix = publicKey("B");
    badPrefix[0] = 0x05;

    assertThatThrownBy(() -> a.sharedKey(null)).isInstanceOf(E2eCryptoException.class)
        .hasMessageContaining("null");
    assertThatThrownBy(() -> a.sharedKey(new byte[32])).isInstanceOf(E2eCryptoException.class)
        .hasMessageContaining("33 (compressed) or 65 bytes, got 32");
    assertThatThrownBy(() -> a.encrypt(badPrefix, new byte[1]))
        .isInstanceOf(E2eCryptoException.class).hasMessageContaining("invalid secp256k1");
    // a flipped x may or may not be on the curve; either way no non-project exception escapes
    try {
      a.sharedKey(notOnCurve);
    } catch (E2eCryptoException expected) {
      assertThat(expected.getMessage()).contains("secp256k1");
    }
  }

  @Test
  void secretsOutOfRangeAreRejected() {
    assertThatThrownBy(() -> E2eKeyPair.fromSecret(new byte[32]))
        .isInstanceOf(E2eCryptoException.class).hasMessageContaining("out of range");
    assertThatThrownBy(() -> E2eKeyPair.fromSecret(Hex.decode(
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")))
        .isInstanceOf(E2eCryptoException.class).hasMessageContaining("out of range");
    assertThatThrownBy(() -> E2eKeyPair.fromSecret(new byte[31]))
        .isInstanceOf(E2eCryptoException.class).hasMessageContaining("32 bytes, got 31");
  }
}
