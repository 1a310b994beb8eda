package io.rmb.peer.substrate;

/**
 * The {@code 0x}-prefixed lowercase hex that Substrate JSON-RPC uses for keys, values, hashes
 * and extrinsics.
 */
public final class HexBytes {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private HexBytes() {}

  /** {@code 0x} followed by two lowercase hex digits per byte. */
  public static String encode(byte[] bytes) {
    char[] out = new char[2 + 2 * bytes.length];
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < bytes.length; i++) {
      out[2 + 2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
      out[3 + 2 * i] = DIGITS[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /**
   * Decodes {@code 0x}-prefixed hex (either case).
   *
   * @param what names the value in the error message, e.g. "storage value of Twins(7)"
   * @throws RpcProtocolException when the text is null, lacks the prefix, has an odd number of
   *     digits or a character that is not a hex digit
   */
  public static byte[] decode(String text, String what) {
    if (text == null) {
      throw new RpcProtocolException(what + ": expected 0x-prefixed hex, got null");
    }
    if (!text.startsWith("0x") && !text.startsWith("0X")) {
      throw new RpcProtocolException(what + ": expected 0x-prefixed hex, got " + preview(text));
    }
    int digits = text.length() - 2;
    if (digits % 2 != 0) {
      throw new RpcProtocolException(what + ": hex has an odd number of digits (" + digits + ")");
    }
    byte[] out = new byte[digits / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(text.charAt(2 + 2 * i), 16);
      int lo = Character.digit(text.charAt(3 + 2 * i), 16);
      if (hi < 0 || lo < 0) {
        int at = hi < 0 ? 2 + 2 * i : 3 + 2 * i;
        throw new RpcProtocolException(what + ": '" + text.charAt(at) + "' at index " + at
            + " is not a hex digit");
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /**
   * Decodes hex that must be exactly {@code length} bytes long (a hash, an account).
   *
   * @throws RpcProtocolException as {@link #decode(String, String)}, or on a wrong length
   */
  public static byte[] decode(String text, int length, String what) {
    byte[] bytes = decode(text, what);
    if (bytes.length != length) {
      throw new RpcProtocolException(what + ": expected " + length + " bytes, got "
          + bytes.length);
    }
    return bytes;
  }

  private static String preview(String text) {
    return text.length() <= 20 ? "'" + text + "'" : "'" + text.substring(0, 20) + "...'";
  }
}
