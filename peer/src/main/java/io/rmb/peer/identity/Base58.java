package io.rmb.peer.identity;

import java.util.Arrays;

/**
 * Base58 with the Bitcoin alphabet (the one SS58 uses). Leading zero bytes map to leading '1'
 * characters and back. Quadratic in the length, which is fine for addresses.
 */
final class Base58 {
  private static final char[] ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
  private static final int[] DIGITS = new int[128];

  static {
    Arrays.fill(DIGITS, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      DIGITS[ALPHABET[i]] = i;
    }
  }

  private Base58() {}

  static String encode(byte[] data) {
    int zeros = 0;
    while (zeros < data.length && data[zeros] == 0) {
      zeros++;
    }
    // Base-256 to base-58 by repeated division of a big-endian number, least significant first.
    byte[] number = Arrays.copyOfRange(data, zeros, data.length);
    char[] out = new char[data.length * 2];
    int pos = out.length;
    int start = 0;
    while (start < number.length) {
      int remainder = 0;
      for (int i = start; i < number.length; i++) {
        int value = (remainder << 8) | (number[i] & 0xff);
        number[i] = (byte) (value / 58);
        remainder = value % 58;
      }
      out[--pos] = ALPHABET[remainder];
      while (start < number.length && number[start] == 0) {
        start++;
      }
    }
    for (int i = 0; i < zeros; i++) {
      out[--pos] = ALPHABET[0];
    }
    return new String(out, pos, out.length - pos);
  }

  /**
   * Decodes base58 text.
   *
   * @throws InvalidAddressException naming the first character outside the alphabet and its
   *     1-based position
   */
  static byte[] decode(String text) {
    int[] digits = new int[text.length()];
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int digit = c < 128 ? DIGITS[c] : -1;
      if (digit < 0) {
        throw new InvalidAddressException(String.format(
            "invalid base58 character '%s' (U+%04X) at position %d (0, O, I and l are not base58)",
            Character.isISOControl(c) ? "?" : String.valueOf(c), (int) c, i + 1));
      }
      digits[i] = digit;
    }
    int zeros = 0;
    while (zeros < digits.length && digits[zeros] == 0) {
      zeros++;
    }
    // Base-58 to base-256: multiply-accumulate into a big-endian byte buffer.
    byte[] number = new byte[text.length()];
    int used = 0; // bytes of `number` in use, counted from the end
    for (int i = zeros; i < digits.length; i++) {
      int carry = digits[i];
      int j = 0;
      for (int k = number.length - 1; k >= 0 && (carry != 0 || j < used); k--, j++) {
        carry += 58 * (number[k] & 0xff);
        number[k] = (byte) carry;
        carry >>>= 8;
      }
      used = j;
    }
    byte[] out = new byte[zeros + used];
    System.arraycopy(number, number.length - used, out, zeros, used);
    return out;
  }
}
