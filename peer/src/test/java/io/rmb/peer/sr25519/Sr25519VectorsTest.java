package io.rmb.peer.sr25519;

import static io.rmb.peer.sr25519.TestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rmb.peer.FixedRandom;
import io.rmb.peer.Vectors;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The shared RMB vectors (polkadot.js / @scure/sr25519): keys, derivation, signatures. */
class Sr25519VectorsTest {
  private static final SecureRandom RNG = new SecureRandom();

  private static JsonNode section(String... path) {
    JsonNode n = Vectors.root();
    for (String p : path) {
      n = n.path(p);
    }
    assertThat(n.isArray()).as("vector section %s", String.join(".", path)).isTrue();
    assertThat(n.size()).as("vector section %s", String.join(".", path)).isPositive();
    return n;
  }

  @Test
  void miniSecretExpansion() {
    int checked = 0;
    for (JsonNode k : section("keys")) {
      JsonNode sr = k.path("sr25519");
      if (!k.has("mini_secret") || !sr.path("expanded_from_mini_secret").asBoolean(false)) {
        continue;
      }
      Sr25519KeyPair pair = Sr25519KeyPair.fromMiniSecret(Vectors.hex(k, "mini_secret"));
      assertThat(hex(pair.secretKeyBytes())).as(k.path("suri").asText())
          .isEqualTo(sr.path("secret_key_scure_64").asText());
      assertThat(hex(pair.publicKey())).as(k.path("suri").asText())
          .isEqualTo(sr.path("public_key").asText());
      // The 64-byte layout round-trips.
      Sr25519KeyPair reread = Sr25519KeyPair.fromSecretKeyBytes(pair.secretKeyBytes());
      assertThat(reread.publicKey()).isEqualTo(pair.publicKey());
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(4);
  }

  @Test
  void junctionDerivation() {
    int hardOnly = 0;
    int withSoft = 0;
    for (JsonNode k : section("keys")) {
      JsonNode junctions = k.path("junctions");
      if (junctions.size() == 0) {
        continue;
      }
      String suri = k.path("suri").asText();
      Sr25519KeyPair pair = Sr25519KeyPair.fromMiniSecret(Vectors.hex(k, "mini_secret"));
      boolean soft = false;
      for (JsonNode j : junctions) {
        byte[] cc = Vectors.hex(j, "chain_code");
        if (j.path("hard").asBoolean()) {
          pair = pair.deriveHard(cc);
        } else {
          pair = pair.deriveSoft(cc, RNG);
          soft = true;
        }
      }
      JsonNode sr = k.path("sr25519");
      assertThat(hex(pair.publicKey())).as(suri).isEqualTo(sr.path("public_key").asText());
      if (soft) {
        withSoft++;
      } else {
        assertThat(hex(pair.secretKeyBytes())).as(suri)
            .isEqualTo(sr.path("secret_key_scure_64").asText());
        hardOnly++;
      }
      // Whatever the path, the derived pair must sign verifiably.
      byte[] msg = suri.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(Sr25519KeyPair.verify(pair.publicKey(), msg, pair.sign(msg, RNG))).isTrue();
    }
    assertThat(hardOnly).isGreaterThanOrEqualTo(4);
    assertThat(withSoft).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aliceAnchor() {
    byte[] chainCode = hex("14416c6963650000000000000000000000000000000000000000000000000000");
    JsonNode alice = null;
    for (JsonNode k : section("keys")) {
      if (k.path("suri").asText().equals("//Alice")) {
        alice = k;
      }
    }
    assertThat(alice).isNotNull();
    Sr25519KeyPair pair = Sr25519KeyPair.fromMiniSecret(Vectors.hex(alice, "mini_secret")).deriveHard(chainCode);
    assertThat(hex(pair.publicKey()))
        .isEqualTo("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
  }

  @Test
  void injectedRngSignaturesAreReproducedByteForByte() {
    for (JsonNode v : section("signatures", "sr25519_injected_rng")) {
      Sr25519KeyPair pair = Sr25519KeyPair.fromSecretKeyBytes(Vectors.hex(v, "secret_key_scure_64"));
      assertThat(hex(pair.publicKey())).isEqualTo(v.path("public_key").asText());
      byte[] sig = pair.sign(Vectors.hex(v, "message"),
          new FixedRandom(Vectors.hex(v, "transcript_rng_bytes")));
      assertThat(hex(sig)).isEqualTo(v.path("signature").asText());
      assertThat(Vectors.hex(v, "rmb_signature_65")[0]).isEqualTo((byte) 's');
      assertThat(Sr25519KeyPair.verify(pair.publicKey(), Vectors.hex(v, "message"), sig)).isTrue();
    }
  }

  @Test
  void randomSignaturesVerify() {
    for (JsonNode v : section("signatures", "sr25519_random")) {
      assertThat(Sr25519KeyPair.verify(Vectors.hex(v, "public_key"), Vectors.hex(v, "message"), Vectors.hex(v, "signature")))
          .as(v.path("signature").asText())
          .isTrue();
    }
  }

  @Test
  void invalidSignaturesAreRejected() {
    int checked = 0;
    for (JsonNode v : section("signatures", "invalid")) {
      String type = v.path("type").asText();
      byte[] sig;
      if (type.equals("sr25519")) {
        sig = Vectors.hex(v, "signature");
      } else if (type.equals("mismatch")) {
        byte[] prefixed = Vectors.hex(v, "rmb_signature_65");
        sig = java.util.Arrays.copyOfRange(prefixed, 1, prefixed.length);
      } else {
        continue;
      }
      assertThat(Sr25519KeyPair.verify(Vectors.hex(v, "public_key"), Vectors.hex(v, "message"), sig))
          .as(v.path("name").asText())
          .isFalse();
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(6);
  }
}
