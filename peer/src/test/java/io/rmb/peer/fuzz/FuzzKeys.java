package io.rmb.peer.fuzz;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;

/** The account keys and the clock of the shared vectors' signed envelopes and tokens. */
final class FuzzKeys {
  /** sr25519 key of the vectors' mnemonic #1 (signed envelopes and a token). */
  static final byte[] SR25519 = HexFormat.of()
      .parseHex("942a5dc287ca18e4035f8f7863ff27103905651968385c7b1eb03fac20027146");
  /** ed25519 key of the vectors' mnemonic #1 (signed envelopes and tokens). */
  static final byte[] ED25519 = HexFormat.of()
      .parseHex("07e41c929a661a0dd976238b27d12884def9b59354535d6eee883c9d52d2dce1");
  /** The vectors' "now" (1700000000000 ms), when their tokens are valid. */
  static final Clock VECTORS_NOW =
      Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

  private FuzzKeys() {}
}
