package io.rmb.peer.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Base58Test {

  @ParameterizedTest
  @CsvSource({
    // hex of the bytes, base58 (Bitcoin alphabet; first two from draft-msporny-base58)
    "48656c6c6f20576f726c6421, 2NEpo7TZRRrLZSi2U",
    "0000287fb4cd, 11233QC4",
    "00, 1",
    "000001, 112",
    "ff, 5Q",
    "'', ''"
  })
  void knownValues(String hex, String text) {
    byte[] bytes = Hex.decode(hex);
    assertThat(Base58.encode(bytes)).isEqualTo(text);
    assertThat(Base58.decode(text)).isEqualTo(bytes);
  }

  @Test
  void longText() {
    byte[] fox = "The quick brown fox jumps over the lazy dog.".getBytes(StandardCharsets.US_ASCII);
    String text = "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z";
    assertThat(Base58.encode(fox)).isEqualTo(text);
    assertThat(Base58.decode(text)).isEqualTo(fox);
  }

  @Test
  void roundTripWithLeadingZeros() {
    Random random = new Random(7);
    for (int length = 0; length < 70; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      for (int z = 0; z < Math.min(3, length); z++) {
        bytes[z] = 0;
        assertThat(Base58.decode(Base58.encode(bytes))).isEqualTo(bytes);
      }
      assertThat(Base58.decode(Base58.encode(bytes))).isEqualTo(bytes);
    }
  }
}
