package io.rmb.peer.sr25519;

import java.util.HexFormat;

/** Hex helpers for the sr25519 tests (the vector file itself is {@link io.rmb.peer.Vectors}). */
final class TestSupport {
  private TestSupport() {}

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
