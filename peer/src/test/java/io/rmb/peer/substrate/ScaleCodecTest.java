package io.rmb.peer.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScaleCodecTest {

  /** Every mode boundary, with the encodings parity-scale-codec produces. */
  static Stream<Arguments> compacts() {
    return Stream.of(
        Arguments.of("0", "00"),
        Arguments.of("1", "04"),
        Arguments.of("63", "fc"), // largest single-byte
        Arguments.of("64", "0101"), // smallest two-byte
        Arguments.of("16383", "fdff"), // largest two-byte
        Arguments.of("16384", "02000100"), // smallest four-byte
        Arguments.of("1073741823", "feffffff"), // 2^30-1, largest four-byte
        Arguments.of("1073741824", "0300000040"), // 2^30, smallest big-integer (4 bytes)
        Arguments.of("4294967295", "03ffffffff"), // u32::MAX
        Arguments.of("4294967296", "070000000001"), // 2^32, five bytes
        Arguments.of("9223372036854775807", "13ffffffffffffff7f"), // Long.MAX_VALUE
        Arguments.of("18446744073709551615", "13ffffffffffffffff"), // u64::MAX
        Arguments.of("340282366920938463463374607431768211455",
            "33ffffffffffffffffffffffffffffffff")); // u128::MAX
  }

  @ParameterizedTest
  @MethodSource("compacts")
  void compactEncodesAndDecodesAtEveryModeBoundary(String decimal, String hex) {
    BigInteger value = new BigInteger(decimal);
    assertThat(Hex.toHexString(new ScaleWriter().compact(value).toByteArray())).isEqualTo(hex);
    if (value.bitLength() < 64) {
      assertThat(Hex.toHexString(ScaleWriter.compactBytes(value.longValue()))).isEqualTo(hex);
    }
    ScaleReader reader = new ScaleReader(Hex.decode(hex), "test");
    assertThat(reader.compactBig("n")).isEqualTo(value);
    reader.expectEnd();
  }

  @Test
  void largestCompactIs67Bytes() {
    BigInteger max = BigInteger.ONE.shiftLeft(536).subtract(BigInteger.ONE);
    byte[] encoded = new ScaleWriter().compact(max).toByteArray();
    assertThat(encoded).hasSize(68);
    assertThat(encoded[0] & 0xff).isEqualTo(0xff); // (67 - 4) << 2 | 3
    assertThat(new ScaleReader(encoded, "test").compactBig("n")).isEqualTo(max);
    assertThatThrownBy(() -> new ScaleWriter().compact(max.add(BigInteger.ONE)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0100", "fd00", "02000000", "feff0000", "03ffffff3f", "070000000000",
      "07ffffffff00"})
  void nonCanonicalCompactsAreRefused(String hex) {
    // parity-scale-codec refuses a value encoded in a longer mode than it needs
    assertThatThrownBy(() -> new ScaleReader(Hex.decode(hex), "test").compactBig("n"))
        .isInstanceOf(ScaleException.class)
        .hasMessageContaining("non-canonical compact");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "01", "02", "020000", "03", "03000000", "07000000000"})
  void truncatedCompactsNameFieldAndOffset(String hex) {
    byte[] bytes = Hex.decode(hex.length() % 2 == 0 ? hex : hex.substring(0, hex.length() - 1));
    assertThatThrownBy(() -> new ScaleReader(bytes, "Thing").compact("count"))
        .isInstanceOf(ScaleException.class)
        .hasMessageStartingWith("Thing: count at offset 0: truncated");
  }

  @Test
  void compactBeyondLongIsRefusedByTheLongReader() {
    byte[] u64max = Hex.decode("13ffffffffffffffff");
    assertThatThrownBy(() -> new ScaleReader(u64max, "test").compact("n"))
        .isInstanceOf(ScaleException.class)
        .hasMessageContaining("exceeds 2^63-1");
    assertThatThrownBy(() -> new ScaleReader(Hex.decode("0300000080"), "test").length("len"))
        .isInstanceOf(ScaleException.class)
        .hasMessageContaining("length 2147483648 is too large");
  }

  @Test
  void fixedWidthIntegersAreLittleEndian() {
    byte[] encoded = new ScaleWriter().u8(0xab).u32(0xdeadbeefL).u64(0x0102030405060708L)
        .toByteArray();
    assertThat(Hex.toHexString(encoded)).isEqualTo("abefbeadde0807060504030201");
    ScaleReader reader = new ScaleReader(encoded, "test");
    assertThat(reader.u8("a")).isEqualTo(0xab);
    assertThat(reader.u32("b")).isEqualTo(0xdeadbeefL);
    assertThat(reader.u64("c")).isEqualTo(0x0102030405060708L);
    reader.expectEnd();
    assertThatThrownBy(() -> new ScaleWriter().u32(1L << 32))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScaleWriter().u8(256))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScaleReader(Hex.decode("ffffffffffffffff"), "t").u64("x"))
        .isInstanceOf(ScaleException.class).hasMessageContaining("exceeds 2^63-1");
  }

  @Test
  void optionsAndByteVectorsRoundTrip() {
    byte[] encoded = new ScaleWriter().optionVecU8(null).optionVecU8(new byte[] {1, 2, 3})
        .vecU8(new byte[0]).toByteArray();
    assertThat(Hex.toHexString(encoded)).isEqualTo("00010c01020300");
    ScaleReader reader = new ScaleReader(encoded, "test");
    assertThat(reader.optionVecU8("a")).isEmpty();
    assertThat(reader.optionVecU8("b")).hasValueSatisfying(v -> assertThat(v).containsExactly(1,
        2, 3));
    assertThat(reader.vecU8("c")).isEmpty();
    reader.expectEnd();
  }

  @Test
  void invalidOptionTagIsRefused() {
    assertThatThrownBy(() -> new ScaleReader(Hex.decode("02"), "Twin value").optionVecU8("pk"))
        .isInstanceOf(ScaleException.class)
        .hasMessage("Twin value: pk at offset 0: invalid Option tag 0x02 (expected 00 or 01)");
  }

  @Test
  void vectorLongerThanInputIsRefused() {
    // length 13, only 2 bytes follow
    assertThatThrownBy(() -> new ScaleReader(Hex.decode("344142"), "Twin value").vecU8("relay"))
        .isInstanceOf(ScaleException.class)
        .hasMessage("Twin value: relay at offset 1: truncated: needs 13 bytes, only 2 left of 3");
  }

  @Test
  void trailingBytesAreReported() {
    ScaleReader reader = new ScaleReader(Hex.decode("0100000000ff"), "TwinIdByAccountID value");
    reader.u32("twin_id");
    assertThatThrownBy(reader::expectEnd)
        .isInstanceOf(ScaleException.class)
        .hasMessage("TwinIdByAccountID value: 2 unexpected trailing bytes at offset 4 of 6");
  }

  @Test
  void garbageNeverEscapesAsAnIndexOutOfBounds() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      byte[] garbage = new byte[random.nextInt(40)];
      random.nextBytes(garbage);
      ScaleReader reader = new ScaleReader(garbage, "garbage");
      try {
        reader.u32("a");
        reader.option("b", r -> r.vecU8("b"));
        int count = reader.length("c");
        for (int j = 0; j < count; j++) {
          reader.u32("c.x");
          reader.vecU8("c.y");
        }
        reader.compactBig("d");
        reader.expectEnd();
      } catch (ScaleException expected) {
        assertThat(expected.getMessage()).startsWith("garbage: ");
      }
    }
  }
}
