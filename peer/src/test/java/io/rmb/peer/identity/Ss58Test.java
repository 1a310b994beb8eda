package io.rmb.peer.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.peer.Vectors;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ss58Test {
  private static final byte[] ALICE_SR =
      Hex.decode("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
  private static final String ALICE_42 = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

  @Test
  void knownAnchor() {
    assertThat(Ss58.encode(ALICE_SR)).isEqualTo(ALICE_42);
    assertThat(Ss58.decode(ALICE_42)).isEqualTo(ALICE_SR);
  }

  @Test
  void decodeOfEncodeIsIdentity() {
    Random random = new Random(42); // fixed seed: reproducible keys
    for (int i = 0; i < 500; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      if (i == 0) {
        key = new byte[32]; // all zeros
      } else if (i == 1) {
        java.util.Arrays.fill(key, (byte) 0xff);
      }
      String address = Ss58.encode(key);
      assertThat(address).startsWith("5");
      assertThat(Ss58.decode(address)).isEqualTo(key);
    }
  }

  @Test
  void everyVectorAddressDecodesToItsKey() {
    Vectors.array("keys").forEach(k -> {
      for (String scheme : new String[] {"sr25519", "ed25519"}) {
        if (k.get(scheme).has("ss58_42")) {
          assertThat(Ss58.decode(k.get(scheme).get("ss58_42").asText()))
              .isEqualTo(Vectors.hex(k.get(scheme), "public_key"));
        }
      }
    });
  }

  static Stream<Arguments> badAddresses() {
    // Addresses for other networks and the length cases were made with an independent
    // Python implementation (hashlib.blake2b + base58); Alice's Polkadot and Kusama
    // addresses are the well-known ones.
    return Stream.of(
        Arguments.of("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ", "checksum mismatch"),
        Arguments.of("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQX", "checksum mismatch"),
        Arguments.of("5GrwvaEF5zXb26Fz9rcQqDWS57CtERHpNehXCPcNoHGKutQY", "checksum mismatch"),
        Arguments.of("15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5",
            "network prefix 0, expected 42"),
        Arguments.of("HNZata7iMYWmk5RvZRTiAsSDhV8366zq2YGb3tLH5Upf74F",
            "network prefix 2, expected 42"),
        Arguments.of("unjKJQJrRd238pkUZZvzDQrfKuM39zBSnQ5zjAGAGcdRhaJTx",
            "network prefix 7391, expected 42"),
        Arguments.of("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKut0Y",
            "invalid base58 character '0' (U+0030) at position 47"),
        Arguments.of("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutOY", "character 'O'"),
        Arguments.of("IGrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "character 'I'"),
        Arguments.of("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutlY", "character 'l'"),
        Arguments.of("5Grwva EF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
            "character ' ' (U+0020) at position 7"),
        Arguments.of("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQÿ", "(U+00FF)"),
        Arguments.of("yA3vprfzKUKan9P1eXE6iMGCMSMDZEnAtb6wEjTEf86ZXt",
            "decodes to 34 bytes, expected 35"),
        Arguments.of("Ks1TRTfTB2v19pD9G5yJ7QCuf8PT8EDE6ZPrHGo9DGneUGEXH",
            "decodes to 36 bytes, expected 35"),
        Arguments.of("1111", "network prefix 0, expected 42"), // the prefix is checked first
        Arguments.of("", "SS58 address is empty"),
        Arguments.of("5".repeat(65), "too long: 65 characters"));
  }

  @ParameterizedTest
  @MethodSource("badAddresses")
  void badAddressesAreRejectedWithTheProblemNamed(String address, String problem) {
    assertThatThrownBy(() -> Ss58.decode(address))
        .isInstanceOf(InvalidAddressException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void nullAddress() {
    assertThatThrownBy(() -> Ss58.decode(null))
        .isInstanceOf(InvalidAddressException.class)
        .hasMessage("SS58 address is null");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 31, 33, 65})
  void encodeRefusesKeysOfWrongLength(int length) {
    assertThatThrownBy(() -> Ss58.encode(new byte[length]))
        .isInstanceOf(InvalidAddressException.class)
        .hasMessageContaining("public key must be 32 bytes, got " + length);
    assertThatThrownBy(() -> Ss58.encode(null))
        .isInstanceOf(InvalidAddressException.class)
        .hasMessageContaining("public key is null");
  }
}
