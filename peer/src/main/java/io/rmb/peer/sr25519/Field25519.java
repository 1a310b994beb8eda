package io.rmb.peer.sr25519;

import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * Arithmetic mod p = 2^255 - 19 beyond what BouncyCastle's {@link X25519Field} offers: the
 * curve constants, a constant-time {@code SQRT_RATIO_M1} (RFC 9496) and sign/equality tests.
 *
 * <p>Elements are BouncyCastle's 10-limb {@code int[]}. {@code X25519Field.mul}/{@code sqr}
 * outputs are "carried"; a sum or difference of two carried values may be fed to mul/sqr
 * directly, anything built from three or more must go through {@code carry} first (the same
 * discipline BouncyCastle's own Ed25519 follows).
 */
final class Field25519 {
  private Field25519() {}

  /** Edwards d = -121665/121666. */
  static final int[] D = fromHex("a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352");
  /** 2d, used by the addition formulas. */
  static final int[] D2 = fromHex("59f1b226949bd6eb56b183829a14e00030d1f3eef2808e19e7fcdf56dcd90624");
  /** sqrt(-1) = 2^((p-1)/4). */
  static final int[] SQRT_M1 =
      fromHex("b0a00e4a271beec478e42fad0618432fa7d7fb3d99004d2b0bdfc14f8024832b");
  /** 1/sqrt(a - d) with a = -1, as in curve25519-dalek. */
  static final int[] INVSQRT_A_MINUS_D =
      fromHex("ea405d80aafdc899be72415a17162f9d40d801fe917bc216a2fcafcf05896c78");

  /** Decodes 32 little-endian bytes given as hex (bit 255 ignored). */
  static int[] fromHex(String hex) {
    int[] z = X25519Field.create();
    X25519Field.decode(HexFormat.of().parseHex(hex), 0, z);
    return z;
  }

  static int[] one() {
    int[] z = X25519Field.create();
    X25519Field.one(z);
    return z;
  }

  /** A fully reduced copy of {@code x} (canonical limbs). */
  static int[] normalized(int[] x) {
    int[] z = x.clone();
    X25519Field.carry(z);
    X25519Field.normalize(z);
    return z;
  }

  /** 1 if the canonical value of {@code x} is odd ("negative" in RFC 9496), else 0. */
  static int isNegative(int[] x) {
    return normalized(x)[0] & 1;
  }

  /** -1 if x == y (mod p), else 0; constant time. */
  static int ctEquals(int[] x, int[] y) {
    int[] a = normalized(x);
    int[] b = normalized(y);
    int diff = 0;
    for (int i = 0; i < X25519Field.SIZE; i++) {
      diff |= a[i] ^ b[i];
    }
    return ((diff | -diff) >> 31) ^ -1; // diff == 0 -> -1, otherwise 0
  }

  /** -1 if x == 0 (mod p), else 0; constant time. */
  static int ctIsZero(int[] x) {
    return ctEquals(x, ZERO);
  }

  private static final int[] ZERO = X25519Field.create();

  /** Replaces {@code z} by |z| (the even one of z, -z); constant time. */
  static void ctAbs(int[] z) {
    X25519Field.cnegate(isNegative(z), z);
    X25519Field.carry(z);
  }

  /** z = x^((p-5)/8) = x^(2^252 - 3), the usual ref10 addition chain. */
  static void pow22523(int[] x, int[] z) {
    int[] t0 = X25519Field.create();
    int[] t1 = X25519Field.create();
    int[] t2 = X25519Field.create();
    X25519Field.sqr(x, t0); // 2
    X25519Field.sqr(t0, 2, t1); // 8
    X25519Field.mul(x, t1, t1); // 9
    X25519Field.mul(t0, t1, t0); // 11
    X25519Field.sqr(t0, t0); // 22
    X25519Field.mul(t1, t0, t0); // 2^5 - 1
    X25519Field.sqr(t0, 5, t1);
    X25519Field.mul(t1, t0, t0); // 2^10 - 1
    X25519Field.sqr(t0, 10, t1);
    X25519Field.mul(t1, t0, t1); // 2^20 - 1
    X25519Field.sqr(t1, 20, t2);
    X25519Field.mul(t2, t1, t1); // 2^40 - 1
    X25519Field.sqr(t1, 10, t1);
    X25519Field.mul(t1, t0, t0); // 2^50 - 1
    X25519Field.sqr(t0, 50, t1);
    X25519Field.mul(t1, t0, t1); // 2^100 - 1
    X25519Field.sqr(t1, 100, t2);
    X25519Field.mul(t2, t1, t1); // 2^200 - 1
    X25519Field.sqr(t1, 50, t1);
    X25519Field.mul(t1, t0, t0); // 2^250 - 1
    X25519Field.sqr(t0, 2, t0); // 2^252 - 4
    X25519Field.mul(t0, x, z); // 2^252 - 3
  }

  /**
   * RFC 9496 SQRT_RATIO_M1(u, v), constant time: writes the non-negative square root of u/v
   * (or of i*u/v when u/v is not square) to {@code r} and returns -1 if u/v was square (or u
   * was 0), else 0.
   */
  static int sqrtRatioM1(int[] u, int[] v, int[] r) {
    int[] v3 = X25519Field.create();
    int[] v7 = X25519Field.create();
    int[] t = X25519Field.create();
    X25519Field.sqr(v, v3);
    X25519Field.mul(v3, v, v3); // v^3
    X25519Field.sqr(v3, v7);
    X25519Field.mul(v7, v, v7); // v^7
    X25519Field.mul(u, v7, t);
    pow22523(t, t); // (u v^7)^((p-5)/8)
    X25519Field.mul(t, v3, t);
    X25519Field.mul(t, u, r); // r = u v^3 (u v^7)^((p-5)/8)

    int[] check = X25519Field.create();
    X25519Field.sqr(r, check);
    X25519Field.mul(check, v, check); // v r^2
    int[] negU = X25519Field.create();
    X25519Field.negate(u, negU);
    int[] negUi = X25519Field.create();
    X25519Field.mul(negU, SQRT_M1, negUi);
    int correct = ctEquals(check, u);
    int flipped = ctEquals(check, negU);
    int flippedI = ctEquals(check, negUi);

    int[] rPrime = X25519Field.create();
    X25519Field.mul(r, SQRT_M1, rPrime);
    X25519Field.cmov(flipped | flippedI, rPrime, 0, r, 0);
    ctAbs(r);
    return correct | flipped;
  }
}
