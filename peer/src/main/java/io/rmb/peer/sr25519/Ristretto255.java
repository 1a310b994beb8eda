package io.rmb.peer.sr25519;

import static io.rmb.peer.sr25519.Edwards25519.BASE;
import static io.rmb.peer.sr25519.Edwards25519.add;
import static io.rmb.peer.sr25519.Edwards25519.copy;
import static io.rmb.peer.sr25519.Edwards25519.dbl;
import static io.rmb.peer.sr25519.Edwards25519.toAffine;
import static io.rmb.peer.sr25519.Edwards25519.toCached;
import static io.rmb.peer.sr25519.Field25519.D;

import io.rmb.peer.sr25519.Edwards25519.Affine;
import io.rmb.peer.sr25519.Edwards25519.Cached;
import io.rmb.peer.sr25519.Edwards25519.Point;
import io.rmb.peer.sr25519.Edwards25519.Tmp;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * The ristretto255 group (RFC 9496) on twisted Edwards curve25519, with the two scalar
 * multiplications schnorrkel needs: constant-time {@code [s]B} and variable-time
 * {@code [a]A + [b]B} for verification.
 *
 * <p>Why not curve25519-elisabeth's points: its immutable, allocating field elements made a
 * verification about 3x slower than BouncyCastle Ed25519, so the group law ({@link
 * Edwards25519}) runs on BouncyCastle's allocation-free {@link X25519Field}; elisabeth still
 * provides the scalars and, in tests, an independent reference for every operation here.
 * Scalars are 32-byte little-endian arrays below 2^255 (reduced scalars always are).
 */
final class Ristretto255 {
  private Ristretto255() {}

  // BASE_TABLE[i][j] = (j+1) * 256^i * B, for the constant-time radix-16 method.
  private static final Affine[][] BASE_TABLE = new Affine[32][8];
  // BASE_ODD[j] = (2j+1) * B, for the width-8 NAF of the variable-time method.
  private static final Affine[] BASE_ODD = new Affine[64];

  static {
    Tmp w = new Tmp();
    Point row = copy(BASE);
    Cached rowCached = new Cached();
    for (int i = 0; i < 32; i++) {
      toCached(row, rowCached);
      Point q = copy(row);
      for (int j = 0; j < 8; j++) {
        BASE_TABLE[i][j] = toAffine(q);
        add(q, rowCached, q, w, false);
      }
      for (int k = 0; k < 8; k++) {
        dbl(row, row, w, true);
      }
    }
    Point twoB = new Point();
    dbl(BASE, twoB, w, true);
    Cached twoBCached = new Cached();
    toCached(twoB, twoBCached);
    Point q = copy(BASE);
    for (int j = 0; j < BASE_ODD.length; j++) {
      BASE_ODD[j] = toAffine(q);
      add(q, twoBCached, q, w, false);
    }
  }

  /** Constant-time [s]B for a 32-byte little-endian scalar below 2^255. */
  static Point mulBase(byte[] scalar) {
    byte[] digits = radix16(scalar);
    Point p = new Point();
    Affine sel = new Affine();
    Tmp w = new Tmp();
    // sum_i d_i 16^i B = 16 * (sum over odd i) + (sum over even i); the table holds 256^k B.
    for (int i = 1; i < 64; i += 2) {
      select(BASE_TABLE[i >>> 1], digits[i], sel);
      add(p, sel, p, w, false);
    }
    for (int k = 0; k < 4; k++) {
      dbl(p, p, w, k == 3);
    }
    for (int i = 0; i < 64; i += 2) {
      select(BASE_TABLE[i >>> 1], digits[i], sel);
      add(p, sel, p, w, false);
    }
    Arrays.fill(digits, (byte) 0);
    return p;
  }

  // Constant-time table lookup of digit * row[0] for a digit in [-8, 8].
  private static void select(Affine[] row, int digit, Affine out) {
    int negative = digit >>> 31;
    int abs = (digit ^ -negative) + negative;
    X25519Field.one(out.ypx);
    X25519Field.one(out.ymx);
    X25519Field.zero(out.xy2d);
    for (int j = 0; j < row.length; j++) {
      int mask = ((abs ^ (j + 1)) - 1) >> 31; // -1 iff abs == j + 1
      X25519Field.cmov(mask, row[j].ypx, 0, out.ypx, 0);
      X25519Field.cmov(mask, row[j].ymx, 0, out.ymx, 0);
      X25519Field.cmov(mask, row[j].xy2d, 0, out.xy2d, 0);
    }
    // -(x, y) = (-x, y): swaps y+x with y-x and negates 2dxy.
    X25519Field.cswap(negative, out.ypx, out.ymx);
    X25519Field.cnegate(negative, out.xy2d);
  }

  // Signed radix-16 digits in [-8, 8) (the last one may be 8), s = sum d_i 16^i.
  private static byte[] radix16(byte[] s) {
    byte[] e = new byte[64];
    for (int i = 0; i < 32; i++) {
      e[2 * i] = (byte) (s[i] & 15);
      e[2 * i + 1] = (byte) ((s[i] >>> 4) & 15);
    }
    int carry = 0;
    for (int i = 0; i < 63; i++) {
      e[i] += carry;
      carry = (e[i] + 8) >> 4;
      e[i] -= carry << 4;
    }
    e[63] += carry;
    return e;
  }

  /** Variable-time [a]A + [b]B (wNAF, widths 5 and 8). Only for public inputs. */
  static Point mulDoubleBaseVar(byte[] a, Point bigA, byte[] b) {
    byte[] nafA = naf(a, 5);
    byte[] nafB = naf(b, 8);
    Tmp w = new Tmp();
    // A, 3A, ..., 15A
    Cached[] oddA = new Cached[8];
    Point twoA = new Point();
    dbl(bigA, twoA, w, true);
    Cached twoACached = new Cached();
    toCached(twoA, twoACached);
    Point q = copy(bigA);
    for (int j = 0; j < oddA.length; j++) {
      oddA[j] = new Cached();
      toCached(q, oddA[j]);
      if (j + 1 < oddA.length) {
        add(q, twoACached, q, w, false);
      }
    }
    int i = 255;
    while (i > 0 && nafA[i] == 0 && nafB[i] == 0) {
      i--;
    }
    Point r = new Point();
    for (; i >= 0; i--) {
      int da = nafA[i];
      int db = nafB[i];
      dbl(r, r, w, da != 0 || db != 0 || i == 0);
      if (da > 0) {
        add(r, oddA[da >>> 1], r, w, false);
      } else if (da < 0) {
        add(r, oddA[(-da) >>> 1], r, w, true);
      }
      if (db > 0) {
        add(r, BASE_ODD[db >>> 1], r, w, false);
      } else if (db < 0) {
        add(r, BASE_ODD[(-db) >>> 1], r, w, true);
      }
    }
    return r;
  }

  // Width-w non-adjacent form: odd digits in (-2^(w-1), 2^(w-1)), at least w-1 zeros between.
  private static byte[] naf(byte[] s, int width) {
    long[] x = new long[5];
    for (int i = 0; i < 32; i++) {
      x[i >>> 3] |= (s[i] & 0xffL) << ((i & 7) << 3);
    }
    int size = 1 << width;
    long mask = size - 1;
    byte[] naf = new byte[256];
    int pos = 0;
    long carry = 0;
    while (pos < 256) {
      int idx = pos >>> 6;
      int bit = pos & 63;
      long buf = bit < 64 - width ? x[idx] >>> bit : (x[idx] >>> bit) | (x[idx + 1] << (64 - bit));
      long window = carry + (buf & mask);
      if ((window & 1) == 0) {
        pos++;
        continue;
      }
      if (window < size / 2) {
        carry = 0;
        naf[pos] = (byte) window;
      } else {
        carry = 1;
        naf[pos] = (byte) (window - size);
      }
      pos += width;
    }
    return naf;
  }

  /** Decodes a canonical ristretto255 encoding (variable time: inputs are public), or null. */
  static Point decode(byte[] bytes) {
    if (bytes == null || bytes.length != 32 || (bytes[31] & 0x80) != 0) {
      return null;
    }
    int[] s = X25519Field.create();
    X25519Field.decode(bytes, 0, s);
    byte[] reencoded = new byte[32];
    X25519Field.encode(Field25519.normalized(s), reencoded, 0);
    if (!Arrays.equals(reencoded, bytes) || (bytes[0] & 1) != 0) {
      return null; // s >= p, or s negative
    }
    int[] ss = X25519Field.create();
    X25519Field.sqr(s, ss);
    int[] u1 = Field25519.one();
    X25519Field.sub(u1, ss, u1); // 1 + a s^2
    int[] u2 = Field25519.one();
    X25519Field.add(u2, ss, u2); // 1 - a s^2
    int[] u2sq = X25519Field.create();
    X25519Field.sqr(u2, u2sq);
    int[] v = X25519Field.create();
    X25519Field.sqr(u1, v);
    X25519Field.mul(v, D, v);
    X25519Field.negate(v, v);
    X25519Field.sub(v, u2sq, v); // -(d u1^2) - u2^2
    X25519Field.carry(v);
    int[] invsqrt = X25519Field.create();
    int[] vu2sq = X25519Field.create();
    X25519Field.mul(v, u2sq, vu2sq);
    boolean wasSquare = Field25519.sqrtRatioM1(Field25519.one(), vu2sq, invsqrt) != 0;

    Point p = new Point();
    int[] denX = X25519Field.create();
    X25519Field.mul(invsqrt, u2, denX);
    int[] denY = X25519Field.create();
    X25519Field.mul(invsqrt, denX, denY);
    X25519Field.mul(denY, v, denY);
    X25519Field.add(s, s, p.x);
    X25519Field.mul(p.x, denX, p.x);
    Field25519.ctAbs(p.x);
    X25519Field.mul(u1, denY, p.y);
    X25519Field.mul(p.x, p.y, p.t);
    if (!wasSquare || Field25519.isNegative(p.t) != 0 || Field25519.ctIsZero(p.y) != 0) {
      return null;
    }
    return p;
  }

  /** The canonical 32-byte encoding of {@code p} (constant time). */
  static byte[] encode(Point p) {
    int[] u1 = X25519Field.create();
    int[] tmp = X25519Field.create();
    X25519Field.apm(p.z, p.y, u1, tmp);
    X25519Field.mul(u1, tmp, u1); // (Z+Y)(Z-Y)
    int[] u2 = X25519Field.create();
    X25519Field.mul(p.x, p.y, u2);
    X25519Field.sqr(u2, tmp);
    X25519Field.mul(tmp, u1, tmp);
    int[] invsqrt = X25519Field.create();
    Field25519.sqrtRatioM1(Field25519.one(), tmp, invsqrt); // always square for valid points
    int[] den1 = X25519Field.create();
    X25519Field.mul(invsqrt, u1, den1);
    int[] den2 = X25519Field.create();
    X25519Field.mul(invsqrt, u2, den2);
    int[] zInv = X25519Field.create();
    X25519Field.mul(den1, den2, zInv);
    X25519Field.mul(zInv, p.t, zInv);

    int[] x = p.x.clone();
    int[] y = p.y.clone();
    int[] denInv = den2;
    int[] ix = X25519Field.create();
    X25519Field.mul(p.x, Field25519.SQRT_M1, ix);
    int[] iy = X25519Field.create();
    X25519Field.mul(p.y, Field25519.SQRT_M1, iy);
    int[] enchanted = X25519Field.create();
    X25519Field.mul(den1, Field25519.INVSQRT_A_MINUS_D, enchanted);
    X25519Field.mul(p.t, zInv, tmp);
    int rotate = -Field25519.isNegative(tmp);
    X25519Field.cmov(rotate, iy, 0, x, 0);
    X25519Field.cmov(rotate, ix, 0, y, 0);
    X25519Field.cmov(rotate, enchanted, 0, denInv, 0);
    X25519Field.mul(x, zInv, tmp);
    X25519Field.cnegate(Field25519.isNegative(tmp), y);
    int[] s = X25519Field.create();
    X25519Field.sub(p.z, y, s);
    X25519Field.carry(s);
    X25519Field.mul(denInv, s, s);
    Field25519.ctAbs(s);
    byte[] out = new byte[32];
    X25519Field.encode(Field25519.normalized(s), out, 0);
    return out;
  }
}
