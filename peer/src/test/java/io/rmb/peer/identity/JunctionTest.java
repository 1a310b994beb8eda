package io.rmb.peer.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Chain codes. Expected values were computed with an independent Python implementation
 * (struct + hashlib.blake2b) of sp-core's {@code DeriveJunction::from(&str)}.
 */
class JunctionTest {

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @CsvSource(delimiter = '|', value = {
    // numeric (Rust u64::from_str): u64 little-endian, zero-padded
    "0 | 0000000000000000000000000000000000000000000000000000000000000000",
    "1 | 0100000000000000000000000000000000000000000000000000000000000000",
    "+1 | 0100000000000000000000000000000000000000000000000000000000000000",
    "00011111 | 672b000000000000000000000000000000000000000000000000000000000000",
    "18446744073709551615 | ffffffffffffffff000000000000000000000000000000000000000000000000",
    // above u64::MAX, signed, hex-looking, non-ASCII digits: strings (compact length + UTF-8)
    "18446744073709551616 | 5031383434363734343037333730393535313631360000000000000000000000",
    "-1 | 082d310000000000000000000000000000000000000000000000000000000000",
    "0xFF | 1030784646000000000000000000000000000000000000000000000000000000",
    "\u0663 | 08d9a30000000000000000000000000000000000000000000000000000000000",
    "\u00fc | 08c3bc0000000000000000000000000000000000000000000000000000000000",
    "Alice | 14416c6963650000000000000000000000000000000000000000000000000000",
    // 31 characters: 32 encoded bytes, no hashing
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        + " | 7c61616161616161616161616161616161616161616161616161616161616161",
    // 32 characters: 33 encoded bytes, blake2b-256
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        + " | 75ad2af4378b683f716ddf82fef713e873c85a6376ce2acf71d04f79e221a068",
    // 64 characters: two-byte compact prefix, blake2b-256
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        + " | 7490fc8e93029b795c2c8797c48815e54ae8d119384704d4e6ca790187723afa",
  })
  void chainCode(String text, String hex) {
    assertThat(Junction.chainCode(text)).isEqualTo(Hex.decode(hex));
    assertThat(Junction.of(text, true).chainCode()).isEqualTo(Hex.decode(hex));
  }

  @ParameterizedTest
  @CsvSource({"0, 00", "63, fc", "64, 0101", "16383, fdff", "16384, 02000100",
      "1073741823, feffffff", "1073741824, 0300000040"})
  void compactLengthPrefix(int value, String hex) {
    assertThat(Scale.compact(value)).isEqualTo(Hex.decode(hex));
  }
}
