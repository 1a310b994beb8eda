package io.rmb.peer.sr25519;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.junit.jupiter.api.Test;

/** Checks the bare permutation by building SHA3-256 and SHAKE128 on it and comparing to BC. */
class KeccakTest {

  // A minimal sponge over Keccak.f1600 with the FIPS 202 padding for the given domain byte.
  private static byte[] sponge(byte[] msg, int rate, int domain, int outLen) {
    long[] st = new long[25];
    byte[] padded = new byte[(msg.length / rate + 1) * rate];
    System.arraycopy(msg, 0, padded, 0, msg.length);
    padded[msg.length] ^= (byte) domain;
    padded[padded.length - 1] ^= (byte) 0x80;
    for (int off = 0; off < padded.length; off += rate) {
      for (int i = 0; i < rate; i++) {
        st[i >>> 3] ^= (padded[off + i] & 0xffL) << ((i & 7) << 3);
      }
      Keccak.f1600(st);
    }
    byte[] out = new byte[outLen];
    for (int i = 0; i < outLen; i++) {
      if (i > 0 && i % rate == 0) {
        Keccak.f1600(st);
      }
      int p = i % rate;
      out[i] = (byte) (st[p >>> 3] >>> ((p & 7) << 3));
    }
    return out;
  }

  @Test
  void sha3_256_matchesBouncyCastle() {
    Random random = new Random(1);
    for (int len : new int[] {0, 1, 135, 136, 137, 272, 1000}) {
      byte[] msg = new byte[len];
      random.nextBytes(msg);
      SHA3Digest bc = new SHA3Digest(256);
      bc.update(msg, 0, msg.length);
      byte[] expected = new byte[32];
      bc.doFinal(expected, 0);
      assertThat(sponge(msg, 136, 0x06, 32)).as("len %d", len).isEqualTo(expected);
    }
  }

  @Test
  void shake128_longOutput_matchesBouncyCastle() {
    byte[] msg = "keccak".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    SHAKEDigest bc = new SHAKEDigest(128);
    bc.update(msg, 0, msg.length);
    byte[] expected = new byte[500];
    bc.doFinal(expected, 0, expected.length);
    assertThat(sponge(msg, 168, 0x1f, 500)).isEqualTo(expected);
  }

  @Test
  void zeroState_firstLane_matchesPublishedValue() {
    // Keccak-f[1600] applied to the all-zero state; first lane from the Keccak team's KAT.
    long[] st = new long[25];
    Keccak.f1600(st);
    assertThat(st[0]).isEqualTo(0xF1258F7940E1DDE7L);
  }
}
