package io.rmb.peer.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rmb.peer.Vectors;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every entry of {@code keys[]} in the shared vectors, field by field. */
class KeyVectorsTest {

  static Stream<Named<JsonNode>> keys() {
    return Vectors.array("keys").map(k -> Named.of(k.get("suri").asText(), k));
  }

  @Test
  void vectorFileIsPresentAndCoversEveryKind() {
    assertThat(Vectors.locate()).exists();
    assertThat(keys().map(n -> n.getPayload().get("suri").asText()))
        .contains("//Alice", "//Bob")
        .anyMatch(s -> s.startsWith("0x"))
        .anyMatch(s -> s.endsWith("//rmb/soft"));
  }

  @ParameterizedTest
  @MethodSource("keys")
  void miniSecret(JsonNode key) {
    SecretUri uri = SecretUri.parse(key.get("suri").asText());
    assertThat(uri.rootSecret()).isEqualTo(Vectors.hex(key, "mini_secret"));
  }

  @ParameterizedTest
  @MethodSource("keys")
  void junctionChainCodes(JsonNode key) {
    List<Junction> junctions = SecretUri.parse(key.get("suri").asText()).junctions();
    JsonNode expected = key.get("junctions");
    assertThat(junctions).hasSize(expected.size());
    for (int i = 0; i < junctions.size(); i++) {
      assertThat(junctions.get(i).isHard()).isEqualTo(expected.get(i).get("hard").asBoolean());
      assertThat(junctions.get(i).chainCode())
          .isEqualTo(Vectors.hex(expected.get(i), "chain_code"));
      assertThat(Junction.chainCode(expected.get(i).get("name").asText()))
          .isEqualTo(Vectors.hex(expected.get(i), "chain_code"));
    }
  }

  @ParameterizedTest
  @MethodSource("keys")
  void ed25519(JsonNode key) {
    String suri = key.get("suri").asText();
    JsonNode ed = key.get("ed25519");
    if (ed.has("error")) {
      assertThatThrownBy(() -> Identity.fromSecret(suri, KeyType.ED25519))
          .isInstanceOf(InvalidSecretException.class)
          .hasMessageContaining("soft derivation not supported for ed25519")
          .hasMessageContaining("junction 2");
      return;
    }
    SecretUri uri = SecretUri.parse(suri);
    assertThat(Ed25519Keys.derive(uri.rootSecret(), uri.junctions()))
        .isEqualTo(Vectors.hex(ed, "seed"));

    Identity identity = Identity.fromSecret(suri, KeyType.ED25519);
    assertThat(identity.keyType()).isEqualTo(KeyType.ED25519);
    assertThat(identity.publicKey()).isEqualTo(Vectors.hex(ed, "public_key"));
    assertThat(identity.signer().publicKey()).isEqualTo(Vectors.hex(ed, "public_key"));
    assertThat(identity.ss58()).isEqualTo(ed.get("ss58_42").asText());
    assertThat(Ss58.decode(ed.get("ss58_42").asText())).isEqualTo(Vectors.hex(ed, "public_key"));
  }

  @ParameterizedTest
  @MethodSource("keys")
  void secp256k1E2eKey(JsonNode key) {
    String suri = key.get("suri").asText();
    JsonNode e2e = key.get("secp256k1_e2e");
    var fromUri = E2eKeyTest.e2eOf(suri);
    if (e2e.has("error")) {
      assertThat(fromUri).isEmpty();
    } else {
      assertThat(fromUri).hasValueSatisfying(k -> {
        assertThat(k.secret()).isEqualTo(Vectors.hex(e2e, "secret_key"));
        assertThat(k.publicKey()).isEqualTo(Vectors.hex(e2e, "public_key_compressed"));
      });
    }
    if (!key.get("ed25519").has("error")) {
      Identity identity = Identity.fromSecret(suri, KeyType.ED25519);
      if (e2e.has("error")) {
        assertThat(identity.e2eSecret()).isEmpty();
        assertThat(identity.e2ePublicKey()).isEmpty();
      } else {
        assertThat(identity.e2eSecret()).hasValue(Vectors.hex(e2e, "secret_key"));
        assertThat(identity.e2ePublicKey()).hasValue(Vectors.hex(e2e, "public_key_compressed"));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("keys")
  void sr25519AddressDecodesToItsKey(JsonNode key) {
    JsonNode sr = key.get("sr25519");
    assertThat(Ss58.decode(sr.get("ss58_42").asText())).isEqualTo(Vectors.hex(sr, "public_key"));
    assertThat(Ss58.encode(Vectors.hex(sr, "public_key"))).isEqualTo(sr.get("ss58_42").asText());
  }

  @Tag("sr25519")
  @ParameterizedTest
  @MethodSource("keys")
  void sr25519(JsonNode key) {
    String suri = key.get("suri").asText();
    JsonNode sr = key.get("sr25519");
    Identity identity = Identity.fromSecret(suri, KeyType.SR25519, new SecureRandom());
    assertThat(identity.keyType()).isEqualTo(KeyType.SR25519);
    assertThat(identity.publicKey()).isEqualTo(Vectors.hex(sr, "public_key"));
    assertThat(identity.ss58()).isEqualTo(sr.get("ss58_42").asText());

    if (sr.has("secret_key_scure_64")) { // absent after a soft step: its nonce is random
      SecretUri uri = SecretUri.parse(suri);
      Sr25519Signer signer = Sr25519Signer.derive(uri.rootSecret(), uri.junctions(),
          new SecureRandom());
      assertThat(signer.keyPair().secretKeyBytes())
          .isEqualTo(Vectors.hex(sr, "secret_key_scure_64"));
    }
  }
}
