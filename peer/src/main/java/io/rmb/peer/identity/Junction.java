package io.rmb.peer.identity;

import java.util.Arrays;

/**
 * One step of a substrate derivation path: hard ({@code //name}) or soft ({@code /name}), with
 * its 32-byte chain code.
 *
 * <p>The chain code is the SCALE encoding of the junction text, as {@code
 * sp_core::crypto::DeriveJunction::from(&str)} builds it: a text that Rust's {@code
 * u64::from_str} accepts (ASCII digits, optional leading '+', at most 2^64 - 1) encodes as u64
 * little-endian; anything else as a compact-length-prefixed UTF-8 string. The encoding is
 * zero-padded to 32 bytes, or replaced by its blake2b-256 hash when longer than 32 bytes.
 */
final class Junction {
  /** Length of a chain code (substrate's {@code JUNCTION_ID_LEN}). */
  static final int CHAIN_CODE_LENGTH = 32;

  private final boolean hard;
  private final byte[] chainCode;

  private Junction(boolean hard, byte[] chainCode) {
    this.hard = hard;
    this.chainCode = chainCode;
  }

  /** The junction for one path element's text (without its leading slashes). */
  static Junction of(String text, boolean hard) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("junction text must not be empty");
    }
    return new Junction(hard, chainCode(text));
  }

  /** True for a hard junction ({@code //name}), false for a soft one ({@code /name}). */
  boolean isHard() {
    return hard;
  }

  /** The 32-byte chain code (a copy). */
  byte[] chainCode() {
    return chainCode.clone();
  }

  static byte[] chainCode(String text) {
    Long number = parseRustU64(text);
    byte[] encoded = number != null ? Scale.u64(number) : Scale.string(text);
    if (encoded.length > CHAIN_CODE_LENGTH) {
      return Hashes.blake2b256(encoded);
    }
    return Arrays.copyOf(encoded, CHAIN_CODE_LENGTH);
  }

  /**
   * Mirrors Rust's {@code u64::from_str}: optional '+', then one or more ASCII digits, no
   * overflow. Java's own parser also accepts non-ASCII digits, hence the explicit check.
   */
  private static Long parseRustU64(String text) {
    int start = text.startsWith("+") ? 1 : 0;
    if (start == text.length()) {
      return null;
    }
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    try {
      return Long.parseUnsignedLong(text.substring(start));
    } catch (NumberFormatException overflow) {
      return null; // larger than u64::MAX: Rust falls back to the string form
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Junction
        && ((Junction) o).hard == hard
        && Arrays.equals(((Junction) o).chainCode, chainCode);
  }

  @Override
  public int hashCode() {
    return 31 * Boolean.hashCode(hard) + Arrays.hashCode(chainCode);
  }

  /** Says only whether the junction is hard or soft: junction names are part of the secret. */
  @Override
  public String toString() {
    return hard ? "Junction[hard]" : "Junction[soft]";
  }
}
