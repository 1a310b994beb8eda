package io.rmb.peer.sr25519;

/**
 * The Keccak-f[1600] permutation (FIPS 202, 24 rounds) on a state of 25 little-endian lanes.
 *
 * <p>STROBE needs the bare permutation, which BouncyCastle does not expose; this is the
 * compact textbook form (theta, rho+pi along the lane cycle, chi, iota).
 */
final class Keccak {
  private Keccak() {}

  /** Lanes in the state. */
  static final int LANES = 25;

  private static final long[] ROUND_CONSTANTS = {
    0x0000000000000001L, 0x0000000000008082L, 0x800000000000808aL, 0x8000000080008000L,
    0x000000000000808bL, 0x0000000080000001L, 0x8000000080008081L, 0x8000000000008009L,
    0x000000000000008aL, 0x0000000000000088L, 0x0000000080008009L, 0x000000008000000aL,
    0x000000008000808bL, 0x800000000000008bL, 0x8000000000008089L, 0x8000000000008003L,
    0x8000000000008002L, 0x8000000000000080L, 0x000000000000800aL, 0x800000008000000aL,
    0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L,
  };

  // rho rotation amounts, listed in the order pi visits the lanes (starting after lane 1).
  private static final int[] RHO = {
    1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44,
  };

  // pi as a single cycle over lane indices x + 5y (lane 0 is a fixed point).
  private static final int[] PI = {
    10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1,
  };

  /** Applies the permutation in place; {@code a.length} must be 25. */
  static void f1600(long[] a) {
    for (int round = 0; round < 24; round++) {
      // theta: xor every lane with the parities of two neighbouring columns.
      long c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
      long c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
      long c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
      long c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
      long c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
      long d0 = c4 ^ Long.rotateLeft(c1, 1);
      long d1 = c0 ^ Long.rotateLeft(c2, 1);
      long d2 = c1 ^ Long.rotateLeft(c3, 1);
      long d3 = c2 ^ Long.rotateLeft(c4, 1);
      long d4 = c3 ^ Long.rotateLeft(c0, 1);
      for (int y = 0; y < LANES; y += 5) {
        a[y] ^= d0;
        a[y + 1] ^= d1;
        a[y + 2] ^= d2;
        a[y + 3] ^= d3;
        a[y + 4] ^= d4;
      }

      // rho and pi together: walk the pi cycle, rotating each lane as it moves.
      long carry = a[1];
      for (int i = 0; i < 24; i++) {
        int j = PI[i];
        long next = a[j];
        a[j] = Long.rotateLeft(carry, RHO[i]);
        carry = next;
      }

      // chi: the only non-linear step, row by row.
      for (int y = 0; y < LANES; y += 5) {
        long b0 = a[y];
        long b1 = a[y + 1];
        long b2 = a[y + 2];
        long b3 = a[y + 3];
        long b4 = a[y + 4];
        a[y] = b0 ^ (~b1 & b2);
        a[y + 1] = b1 ^ (~b2 & b3);
        a[y + 2] = b2 ^ (~b3 & b4);
        a[y + 3] = b3 ^ (~b4 & b0);
        a[y + 4] = b4 ^ (~b0 & b1);
      }

      // iota
      a[0] ^= ROUND_CONSTANTS[round];
    }
  }
}
