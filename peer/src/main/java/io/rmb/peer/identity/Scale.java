package io.rmb.peer.identity;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The two pieces of SCALE (parity-scale-codec) encoding that key derivation needs: compact
 * integers as length prefixes, strings, and little-endian u64.
 */
final class Scale {
  private Scale() {}

  /** SCALE {@code &str}: compact length prefix, then the UTF-8 bytes. */
  static byte[] string(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length + 5);
    byte[] prefix = compact(utf8.length);
    out.write(prefix, 0, prefix.length);
    out.write(utf8, 0, utf8.length);
    return out.toByteArray();
  }

  /** SCALE {@code u64}: eight bytes little-endian (the value is read as unsigned). */
  static byte[] u64(long value) {
    byte[] out = new byte[8];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (value >>> (8 * i));
    }
    return out;
  }

  /** SCALE compact encoding of a non-negative int (one-, two-, four-byte or big-integer mode). */
  static byte[] compact(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("compact length must not be negative: " + value);
    }
    if (value < (1 << 6)) {
      return new byte[] {(byte) (value << 2)};
    }
    if (value < (1 << 14)) {
      int v = (value << 2) | 0b01;
      return new byte[] {(byte) v, (byte) (v >>> 8)};
    }
    if (value < (1 << 30)) {
      int v = (value << 2) | 0b10;
      return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }
    // Big-integer mode: the low 6 bits of the first byte hold (byte count - 4); an int needs 4.
    return new byte[] {
      0b11, (byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)
    };
  }
}
