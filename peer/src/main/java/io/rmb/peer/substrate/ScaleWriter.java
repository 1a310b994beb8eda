package io.rmb.peer.substrate;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Objects;

/**
 * Writes SCALE (parity-scale-codec) values into a growing buffer: fixed-width little-endian
 * integers, canonical compact integers in all four modes, {@code Vec<u8>} and
 * {@code Option<Vec<u8>>}. Methods return {@code this} for chaining. Not thread-safe.
 */
public final class ScaleWriter {
  /** The largest compact integer: 67 little-endian bytes (the 6-bit length field maxes at 63). */
  private static final int MAX_COMPACT_BYTES = 67;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** The canonical compact encoding of a non-negative {@code value}. */
  public static byte[] compactBytes(long value) {
    return new ScaleWriter().compact(value).toByteArray();
  }

  /** One byte; {@code value} must be in [0, 255]. */
  public ScaleWriter u8(int value) {
    if (value < 0 || value > 0xff) {
      throw new IllegalArgumentException("u8 out of range: " + value);
    }
    out.write(value);
    return this;
  }

  /** A little-endian u32; {@code value} must be in [0, 2^32). */
  public ScaleWriter u32(long value) {
    if (value < 0 || value > 0xffff_ffffL) {
      throw new IllegalArgumentException("u32 out of range: " + value);
    }
    return littleEndian(value, 4);
  }

  /** A little-endian u64 of a non-negative {@code value}. */
  public ScaleWriter u64(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("u64 must not be negative: " + value);
    }
    return littleEndian(value, 8);
  }

  /** Raw bytes with no length prefix (fixed-size arrays, hashes, nested encodings). */
  public ScaleWriter raw(byte[] bytes) {
    out.write(bytes, 0, bytes.length);
    return this;
  }

  /** A {@code Vec<u8>}: compact length, then the bytes. */
  public ScaleWriter vecU8(byte[] bytes) {
    compact(bytes.length);
    return raw(bytes);
  }

  /** An {@code Option<Vec<u8>>}: 00 for null, else 01 and the vector. */
  public ScaleWriter optionVecU8(byte[] bytes) {
    if (bytes == null) {
      return u8(0);
    }
    u8(1);
    return vecU8(bytes);
  }

  /** A compact integer of a non-negative {@code value}. */
  public ScaleWriter compact(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("compact must not be negative: " + value);
    }
    if (value < (1L << 6)) {
      return u8((int) (value << 2));
    }
    if (value < (1L << 14)) {
      return littleEndian((value << 2) | 0b01, 2);
    }
    if (value < (1L << 30)) {
      return littleEndian((value << 2) | 0b10, 4);
    }
    return compact(BigInteger.valueOf(value));
  }

  /** A compact integer of any non-negative value below 2^536. */
  public ScaleWriter compact(BigInteger value) {
    Objects.requireNonNull(value, "value");
    if (value.signum() < 0) {
      throw new IllegalArgumentException("compact must not be negative: " + value);
    }
    if (value.bitLength() <= 30) {
      return compact(value.longValue());
    }
    // big-integer mode: the fewest little-endian bytes that hold the value, at least four
    int length = Math.max(4, (value.bitLength() + 7) / 8);
    if (length > MAX_COMPACT_BYTES) {
      throw new IllegalArgumentException("compact too large: " + value.bitLength() + " bits");
    }
    u8(((length - 4) << 2) | 0b11);
    byte[] be = value.toByteArray(); // big-endian, maybe with a leading zero byte
    for (int i = 0; i < length; i++) {
      int index = be.length - 1 - i;
      out.write(index >= 0 ? be[index] : 0);
    }
    return this;
  }

  /** Number of bytes written so far. */
  public int size() {
    return out.size();
  }

  /** The bytes written so far. */
  public byte[] toByteArray() {
    return out.toByteArray();
  }

  private ScaleWriter littleEndian(long value, int width) {
    for (int i = 0; i < width; i++) {
      out.write((int) (value >>> (8 * i)));
    }
    return this;
  }
}
