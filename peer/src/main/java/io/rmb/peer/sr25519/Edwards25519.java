package io.rmb.peer.sr25519;

import static io.rmb.peer.sr25519.Field25519.D2;

import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * The group law of the twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2 (curve25519) on
 * BouncyCastle's {@link X25519Field} elements: extended coordinates, the complete
 * add-2008-hwcd-3 addition and dbl-2008-hwcd doubling (Hisil-Wong-Carter-Dawson), and the
 * two precomputed point forms the scalar multiplications in {@link Ristretto255} use.
 *
 * <p>Every operation is free of data-dependent branches; the {@code negate}/{@code needT}
 * flags are fixed by the caller's algorithm, not by secrets.
 */
final class Edwards25519 {
  private Edwards25519() {}

  /** A point in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z. */
  static final class Point {
    final int[] x = X25519Field.create();
    final int[] y = X25519Field.create();
    final int[] z = X25519Field.create();
    final int[] t = X25519Field.create();

    /** The identity (0, 1). */
    Point() {
      X25519Field.one(y);
      X25519Field.one(z);
    }
  }

  /** An affine point prepared for mixed addition: (y+x, y-x, 2dxy). */
  static final class Affine {
    final int[] ypx = X25519Field.create();
    final int[] ymx = X25519Field.create();
    final int[] xy2d = X25519Field.create();
  }

  /** A projective point prepared for addition: (Y+X, Y-X, 2Z, 2dT). */
  static final class Cached {
    final int[] ypx = X25519Field.create();
    final int[] ymx = X25519Field.create();
    final int[] z2 = X25519Field.create();
    final int[] t2d = X25519Field.create();
  }

  /** Scratch field elements, so the inner loops allocate nothing. */
  static final class Tmp {
    final int[] a = X25519Field.create();
    final int[] b = X25519Field.create();
    final int[] c = X25519Field.create();
    final int[] d = X25519Field.create();
    final int[] e = X25519Field.create();
    final int[] f = X25519Field.create();
    final int[] g = X25519Field.create();
    final int[] h = X25519Field.create();
  }

  /** The Ed25519 base point, also the ristretto255 generator; shared, so never mutated. */
  static final Point BASE = basePoint();

  private static Point basePoint() {
    Point p = new Point();
    X25519Field.copy(
        Field25519.fromHex("1ad5258f602d56c9b2a7259560c72c695cdcd6fd31e2a4c0fe536ecdd3366921"), 0,
        p.x, 0);
    X25519Field.copy(
        Field25519.fromHex("5866666666666666666666666666666666666666666666666666666666666666"), 0,
        p.y, 0);
    X25519Field.mul(p.x, p.y, p.t);
    return p;
  }

  /** A fresh copy of {@code p}. */
  static Point copy(Point p) {
    Point r = new Point();
    X25519Field.copy(p.x, 0, r.x, 0);
    X25519Field.copy(p.y, 0, r.y, 0);
    X25519Field.copy(p.z, 0, r.z, 0);
    X25519Field.copy(p.t, 0, r.t, 0);
    return r;
  }

  /** -p. */
  static Point negate(Point p) {
    Point r = copy(p);
    X25519Field.negate(r.x, r.x);
    X25519Field.negate(r.t, r.t);
    return r;
  }

  /**
   * r = 2p ({@code r} may be {@code p}). dbl-2008-hwcd with a = -1, all four intermediate
   * values negated (which cancels in the products). T is only computed when {@code needT},
   * i.e. when an addition or encoding follows, since doubling itself does not read it.
   */
  static void dbl(Point p, Point r, Tmp w, boolean needT) {
    X25519Field.sqr(p.x, w.a);
    X25519Field.sqr(p.y, w.b);
    X25519Field.sqr(p.z, w.c);
    X25519Field.add(w.c, w.c, w.c); // 2Z^2
    X25519Field.apm(w.a, w.b, w.h, w.g); // H = A + B, G = A - B
    X25519Field.add(p.x, p.y, w.e);
    X25519Field.sqr(w.e, w.e);
    X25519Field.sub(w.h, w.e, w.e); // E = A + B - (X+Y)^2
    X25519Field.carry(w.e);
    X25519Field.add(w.c, w.g, w.f); // F = 2Z^2 + A - B
    X25519Field.carry(w.f);
    X25519Field.mul(w.e, w.f, r.x);
    X25519Field.mul(w.g, w.h, r.y);
    X25519Field.mul(w.f, w.g, r.z);
    if (needT) {
      X25519Field.mul(w.e, w.h, r.t);
    }
  }

  // The tail shared by both additions (add-2008-hwcd-3): a = (Y1-X1)(..), b = (Y1+X1)(..),
  // c = T1*2dT2, d = 2Z1Z2 are in w; subtracting means the caller swapped y+x/y-x and here
  // C changes sign.
  private static void addTail(Point r, Tmp w, boolean negate) {
    X25519Field.apm(w.b, w.a, w.h, w.e); // H = B + A, E = B - A
    if (negate) {
      X25519Field.apm(w.d, w.c, w.f, w.g); // F = D + C, G = D - C
    } else {
      X25519Field.apm(w.d, w.c, w.g, w.f); // G = D + C, F = D - C
    }
    X25519Field.carry(w.f);
    X25519Field.carry(w.g);
    X25519Field.mul(w.e, w.f, r.x);
    X25519Field.mul(w.g, w.h, r.y);
    X25519Field.mul(w.f, w.g, r.z);
    X25519Field.mul(w.e, w.h, r.t);
  }

  /** r = p + q, or p - q when {@code negate}; {@code r} may be {@code p}. */
  static void add(Point p, Cached q, Point r, Tmp w, boolean negate) {
    X25519Field.apm(p.y, p.x, w.b, w.a);
    X25519Field.mul(w.a, negate ? q.ypx : q.ymx, w.a);
    X25519Field.mul(w.b, negate ? q.ymx : q.ypx, w.b);
    X25519Field.mul(p.t, q.t2d, w.c);
    X25519Field.mul(p.z, q.z2, w.d);
    addTail(r, w, negate);
  }

  /** r = p + q, or p - q when {@code negate}, for an affine q (Z2 = 1); r may be p. */
  static void add(Point p, Affine q, Point r, Tmp w, boolean negate) {
    X25519Field.apm(p.y, p.x, w.b, w.a);
    X25519Field.mul(w.a, negate ? q.ypx : q.ymx, w.a);
    X25519Field.mul(w.b, negate ? q.ymx : q.ypx, w.b);
    X25519Field.mul(p.t, q.xy2d, w.c);
    X25519Field.add(p.z, p.z, w.d);
    addTail(r, w, negate);
  }

  /** Prepares {@code p} for repeated additions. */
  static void toCached(Point p, Cached c) {
    X25519Field.apm(p.y, p.x, c.ypx, c.ymx);
    X25519Field.add(p.z, p.z, c.z2);
    X25519Field.mul(p.t, D2, c.t2d);
  }

  /** Normalizes {@code p} to Z = 1 (one inversion) and prepares it for mixed addition. */
  static Affine toAffine(Point p) {
    int[] zInv = X25519Field.create();
    int[] x = X25519Field.create();
    int[] y = X25519Field.create();
    X25519Field.inv(p.z, zInv);
    X25519Field.mul(p.x, zInv, x);
    X25519Field.mul(p.y, zInv, y);
    Affine a = new Affine();
    X25519Field.apm(y, x, a.ypx, a.ymx);
    X25519Field.carry(a.ypx);
    X25519Field.carry(a.ymx);
    X25519Field.mul(x, y, a.xy2d);
    X25519Field.mul(a.xy2d, D2, a.xy2d);
    return a;
  }
}
