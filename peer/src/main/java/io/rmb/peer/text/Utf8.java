package io.rmb.peer.text;

/**
 * Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF, no truncated sequence) without decoding, for bytes from the network or from users
 * that are about to be parsed as JSON.
 *
 * <p>Why before Jackson: Jackson does not validate the UTF-8 of a field name it finds in its
 * symbol table (it pads a name's last quad with 0xFF bytes), so an invalid name such as
 * 0xFF+"exp" can be read as the known name "exp". Callers check first and get only a verdict,
 * so nothing is allocated on the message path.
 */
public final class Utf8 {
  private Utf8() {}

  /** The offset of the first byte that starts an invalid sequence, or -1 when all is valid. */
  public static int firstInvalid(byte[] bytes) {
    int i = 0;
    int n = bytes.length;
    while (i < n) {
      int b = bytes[i] & 0xff;
      if (b < 0x80) {
        i++;
        continue;
      }
      int length;
      int min = 0x80; // bounds of the second byte, which rule out overlongs and surrogates
      int max = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) {
        length = 2;
      } else if (b >= 0xe0 && b <= 0xef) {
        length = 3;
        if (b == 0xe0) {
          min = 0xa0;
        } else if (b == 0xed) {
          max = 0x9f;
        }
      } else if (b >= 0xf0 && b <= 0xf4) {
        length = 4;
        if (b == 0xf0) {
          min = 0x90;
        } else if (b == 0xf4) {
          max = 0x8f;
        }
      } else {
        return i; // a continuation byte, C0/C1 (always overlong) or F5-FF
      }
      if (i + length > n) {
        return i;
      }
      int second = bytes[i + 1] & 0xff;
      if (second < min || second > max) {
        return i;
      }
      for (int k = 2; k < length; k++) {
        if ((bytes[i + k] & 0xc0) != 0x80) {
          return i;
        }
      }
      i += length;
    }
    return -1;
  }
}
