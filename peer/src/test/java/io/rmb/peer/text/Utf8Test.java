package io.rmb.peer.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {
  @Test
  void acceptsValidTextOfEveryLength() {
    assertThat(Utf8.firstInvalid(new byte[0])).isEqualTo(-1);
    assertThat(Utf8.firstInvalid("{\"dat\":\"é€𝄞\"}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(-1);
    assertThat(Utf8.firstInvalid(bytes(0xf4, 0x8f, 0xbf, 0xbf))).isEqualTo(-1); // U+10FFFF
    assertThat(Utf8.firstInvalid(bytes(0xed, 0x9f, 0xbf))).isEqualTo(-1); // U+D7FF
  }

  @Test
  void pointsAtTheFirstBadSequence() {
    assertThat(Utf8.firstInvalid(bytes('a', 0x80))).isEqualTo(1); // lone continuation
    assertThat(Utf8.firstInvalid(bytes('a', 'b', 0xc0, 0xaf))).isEqualTo(2); // overlong '/'
    assertThat(Utf8.firstInvalid(bytes(0xe0, 0x80, 0xaf))).isEqualTo(0); // overlong, 3 bytes
    assertThat(Utf8.firstInvalid(bytes(0xf0, 0x80, 0x80, 0xaf))).isEqualTo(0); // 4 bytes
    assertThat(Utf8.firstInvalid(bytes(0xed, 0xa0, 0x80))).isEqualTo(0); // surrogate D800
    assertThat(Utf8.firstInvalid(bytes(0xf4, 0x90, 0x80, 0x80))).isEqualTo(0); // > U+10FFFF
    assertThat(Utf8.firstInvalid(bytes('x', 0xe2, 0x82))).isEqualTo(1); // truncated
    assertThat(Utf8.firstInvalid(bytes(0xe2, 0x28, 0xa1))).isEqualTo(0); // bad third byte
    assertThat(Utf8.firstInvalid(bytes(0xff, 'c', 'm', 'd'))).isEqualTo(0);
  }

  @Test
  void agreesWithTheJdkDecoderOnRandomBytes() {
    Random random = new Random(5);
    for (int round = 0; round < 200_000; round++) {
      byte[] b = new byte[1 + random.nextInt(6)];
      for (int i = 0; i < b.length; i++) {
        // mostly bytes near the boundaries, where the rules are
        b[i] = (byte) (random.nextBoolean() ? random.nextInt(256)
            : new int[] {0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0,
                0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff}[random.nextInt(18)]);
      }
      assertThat(Utf8.firstInvalid(b) < 0).as("%s", java.util.HexFormat.of().formatHex(b))
          .isEqualTo(jdkAccepts(b));
    }
  }

  private static boolean jdkAccepts(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }
}
