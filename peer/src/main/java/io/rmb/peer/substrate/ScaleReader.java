package io.rmb.peer.substrate;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads SCALE (parity-scale-codec) values from a byte array, front to back.
 *
 * <p>Every read is bounds-checked: truncated or garbage input raises a {@link ScaleException}
 * that names the value being decoded, the field and the offset, never an
 * {@code IndexOutOfBoundsException}. Compact integers must be canonical (the shortest mode),
 * as parity-scale-codec demands. Not thread-safe; one reader per value.
 */
public final class ScaleReader {
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private final byte[] data;
  private final String what;
  private int position;

  /**
   * @param data the encoded bytes (not copied; do not change them while reading)
   * @param what names the value in error messages, e.g. "Twin value of Twins(7)"
   */
  public ScaleReader(byte[] data, String what) {
    this.data = Objects.requireNonNull(data, "data");
    this.what = Objects.requireNonNull(what, "what");
  }

  /** Offset of the next byte to read. */
  public int position() {
    return position;
  }

  /** Bytes not read yet. */
  public int remaining() {
    return data.length - position;
  }

  /** One unsigned byte. */
  public int u8(String field) {
    require(1, field);
    return data[position++] & 0xff;
  }

  /** A little-endian u32, as a non-negative long. */
  public long u32(String field) {
    require(4, field);
    long value = 0;
    for (int i = 0; i < 4; i++) {
      value |= (long) (data[position + i] & 0xff) << (8 * i);
    }
    position += 4;
    return value;
  }

  /** A little-endian u64; values of 2^63 and more fail rather than turn negative. */
  public long u64(String field) {
    int start = position;
    require(8, field);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value |= (long) (data[position + i] & 0xff) << (8 * i);
    }
    if (value < 0) {
      throw error(field, start, "u64 " + Long.toUnsignedString(value) + " exceeds 2^63-1");
    }
    position += 8;
    return value;
  }

  /** Exactly {@code length} raw bytes (a fixed-size array such as an account id). */
  public byte[] bytes(int length, String field) {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    require(length, field);
    byte[] out = new byte[length];
    System.arraycopy(data, position, out, 0, length);
    position += length;
    return out;
  }

  /** A {@code Vec<u8>}: compact length, then that many bytes. */
  public byte[] vecU8(String field) {
    int length = length(field);
    return bytes(length, field);
  }

  /**
   * A compact length or element count: a compact integer that also fits in an int. It is not
   * compared with the bytes left, since elements may be wider than one byte; reading them
   * fails precisely when the input is short.
   */
  public int length(String field) {
    int start = position;
    BigInteger value = compactBig(field);
    if (value.bitLength() > 31) {
      throw error(field, start, "length " + value + " is too large");
    }
    return value.intValue();
  }

  /** A compact integer that fits in a signed long. */
  public long compact(String field) {
    int start = position;
    BigInteger value = compactBig(field);
    if (value.compareTo(LONG_MAX) > 0) {
      throw error(field, start, "compact " + value + " exceeds 2^63-1");
    }
    return value.longValue();
  }

  /** A compact integer of any size (up to 67 bytes, the SCALE maximum). */
  public BigInteger compactBig(String field) {
    int start = position;
    int first = u8(field);
    switch (first & 0b11) {
      case 0b00:
        return BigInteger.valueOf(first >>> 2);
      case 0b01: {
        position = start;
        require(2, field);
        int value = ((data[start] & 0xff) | (data[start + 1] & 0xff) << 8) >>> 2;
        position = start + 2;
        if (value < (1 << 6)) {
          throw error(field, start, "non-canonical compact: " + value + " in two-byte mode");
        }
        return BigInteger.valueOf(value);
      }
      case 0b10: {
        position = start;
        long value = u32(field) >>> 2;
        if (value < (1 << 14)) {
          throw error(field, start, "non-canonical compact: " + value + " in four-byte mode");
        }
        return BigInteger.valueOf(value);
      }
      default: {
        int length = (first >>> 2) + 4;
        if (length > remaining()) {
          position = start; // report the whole compact as truncated, from its first byte
          require(1 + length, field);
        }
        byte[] le = bytes(length, field);
        byte[] be = new byte[length + 1]; // leading zero keeps the BigInteger positive
        for (int i = 0; i < length; i++) {
          be[length - i] = le[i];
        }
        BigInteger value = new BigInteger(be);
        if (value.bitLength() <= 30 || (length > 4 && le[length - 1] == 0)) {
          throw error(field, start, "non-canonical compact: " + value + " in " + length
              + "-byte big-integer mode");
        }
        return value;
      }
    }
  }

  /**
   * An {@code Option<T>}: tag 0 is None, tag 1 is Some followed by the value.
   *
   * @throws ScaleException on any other tag
   */
  public <T> Optional<T> option(String field, Function<ScaleReader, T> some) {
    int start = position;
    int tag = u8(field);
    if (tag == 0) {
      return Optional.empty();
    }
    if (tag != 1) {
      throw error(field, start, String.format("invalid Option tag 0x%02x (expected 00 or 01)",
          tag));
    }
    return Optional.of(some.apply(this));
  }

  /** An {@code Option<Vec<u8>>}. */
  public Optional<byte[]> optionVecU8(String field) {
    return option(field, r -> r.vecU8(field));
  }

  /**
   * Checks that the whole input was read.
   *
   * @throws ScaleException naming the number of trailing bytes
   */
  public void expectEnd() {
    if (position != data.length) {
      throw new ScaleException(what + ": " + remaining() + " unexpected trailing byte"
          + (remaining() == 1 ? "" : "s") + " at offset " + position + " of " + data.length);
    }
  }

  private void require(int count, String field) {
    if (count > data.length - position) {
      throw error(field, position, "truncated: needs " + count + " byte" + (count == 1 ? "" : "s")
          + ", only " + remaining() + " left of " + data.length);
    }
  }

  private ScaleException error(String field, int offset, String problem) {
    return new ScaleException(what + ": " + field + " at offset " + offset + ": " + problem);
  }
}
