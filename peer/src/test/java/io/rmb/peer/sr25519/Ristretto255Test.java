package io.rmb.peer.sr25519;

import static io.rmb.peer.sr25519.TestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;

import cafe.cryptography.curve25519.CompressedRistretto;
import cafe.cryptography.curve25519.Constants;
import cafe.cryptography.curve25519.InvalidEncodingException;
import cafe.cryptography.curve25519.RistrettoElement;
import cafe.cryptography.curve25519.Scalar;
import java.math.BigInteger;
import java.util.Random;
import org.bouncycastle.math.ec.rfc7748.X25519Field;
import org.junit.jupiter.api.Test;

/** Checks the BouncyCastle-field group law against curve25519-elisabeth and RFC 9496. */
class Ristretto255Test {
  private static final Random RANDOM = new Random(25519);
  private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

  private static Scalar randomScalar() {
    byte[] wide = new byte[64];
    RANDOM.nextBytes(wide);
    return Scalar.fromBytesModOrderWide(wide);
  }

  @Test
  void smallMultiplesOfTheGeneratorMatchRfc9496() {
    String[] expected = {
      "0000000000000000000000000000000000000000000000000000000000000000",
      "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
      "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
      "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
    };
    for (int i = 0; i < expected.length; i++) {
      byte[] s = new byte[32];
      s[0] = (byte) i;
      assertThat(hex(Ristretto255.encode(Ristretto255.mulBase(s)))).as("%dB", i).isEqualTo(expected[i]);
      assertThat(hex(Ristretto255.encode(Ristretto255.decode(hex(expected[i]))))).isEqualTo(expected[i]);
    }
  }

  @Test
  void mulBaseMatchesElisabeth() {
    for (int i = 0; i < 200; i++) {
      Scalar s = randomScalar();
      byte[] expected = Constants.RISTRETTO_GENERATOR_TABLE.multiply(s).compress().toByteArray();
      assertThat(Ristretto255.encode(Ristretto255.mulBase(s.toByteArray()))).isEqualTo(expected);
    }
    byte[] minusOne = Scalar.ZERO.subtract(Scalar.ONE).toByteArray(); // l - 1: all digit paths
    assertThat(Ristretto255.encode(Ristretto255.mulBase(minusOne)))
        .isEqualTo(Constants.RISTRETTO_GENERATOR.negate().compress().toByteArray());
  }

  @Test
  void doubleScalarMultiplicationMatchesElisabeth() throws InvalidEncodingException {
    for (int i = 0; i < 200; i++) {
      Scalar a = randomScalar();
      Scalar b = randomScalar();
      RistrettoElement bigA = Constants.RISTRETTO_GENERATOR_TABLE.multiply(randomScalar());
      byte[] aEnc = bigA.compress().toByteArray();
      RistrettoElement expected =
          bigA.multiply(a).add(Constants.RISTRETTO_GENERATOR_TABLE.multiply(b));
      Edwards25519.Point mine =
          Ristretto255.mulDoubleBaseVar(a.toByteArray(), Ristretto255.decode(aEnc), b.toByteArray());
      assertThat(Ristretto255.encode(mine)).isEqualTo(expected.compress().toByteArray());
      // and with -A, as verification uses it
      RistrettoElement expectedNeg =
          Constants.RISTRETTO_GENERATOR_TABLE.multiply(b).subtract(bigA.multiply(a));
      Edwards25519.Point neg = Ristretto255.mulDoubleBaseVar(
          a.toByteArray(), Edwards25519.negate(Ristretto255.decode(aEnc)), b.toByteArray());
      assertThat(Ristretto255.encode(neg)).isEqualTo(expectedNeg.compress().toByteArray());
      assertThat(new CompressedRistretto(aEnc).decompress()).isEqualTo(bigA);
    }
    // zero scalars
    byte[] zero = new byte[32];
    Edwards25519.Point g = Ristretto255.mulBase(Scalar.ONE.toByteArray());
    assertThat(Ristretto255.encode(Ristretto255.mulDoubleBaseVar(zero, g, zero))).isEqualTo(zero);
  }

  @Test
  void decodeAcceptsExactlyWhatElisabethAccepts() {
    int accepted = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] enc = new byte[32];
      RANDOM.nextBytes(enc);
      if (i % 3 == 0) {
        enc[31] &= 0x7f;
        enc[0] &= (byte) 0xfe; // give valid encodings a fair chance
      }
      boolean elisabeth;
      byte[] elisabethReencoded = null;
      try {
        elisabethReencoded = new CompressedRistretto(enc.clone()).decompress().compress().toByteArray();
        elisabeth = true;
      } catch (InvalidEncodingException e) {
        elisabeth = false;
      }
      Edwards25519.Point p = Ristretto255.decode(enc);
      assertThat(p != null).as(hex(enc)).isEqualTo(elisabeth);
      if (p != null) {
        assertThat(Ristretto255.encode(p)).isEqualTo(enc).isEqualTo(elisabethReencoded);
        accepted++;
      }
    }
    assertThat(accepted).isGreaterThan(50);
  }

  @Test
  void decodeRejectsRfc9496BadEncodings() {
    String[] bad = {
      // non-canonical field encodings
      "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      // negative field elements
      "0100000000000000000000000000000000000000000000000000000000000000",
      "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      // non-square x^2
      "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
      "4eac077a713c57b4f4397629a4145982c661f48044dd3f96427d40b147d9742f",
      // negative xy / zero y
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    };
    for (String b : bad) {
      assertThat(Ristretto255.decode(hex(b))).as(b).isNull();
      assertThat(elisabethAccepts(hex(b))).as(b).isFalse();
    }
    assertThat(Ristretto255.decode(new byte[31])).isNull();
    assertThat(Ristretto255.decode(null)).isNull();
  }

  @Test
  void constantsSatisfyTheirDefinitions() {
    BigInteger d = value(Field25519.D);
    assertThat(d.multiply(BigInteger.valueOf(121666)).add(BigInteger.valueOf(121665)).mod(P))
        .isZero();
    assertThat(value(Field25519.D2)).isEqualTo(d.shiftLeft(1).mod(P));
    assertThat(value(Field25519.SQRT_M1).pow(2).mod(P)).isEqualTo(P.subtract(BigInteger.ONE));
    BigInteger aMinusD = P.subtract(BigInteger.ONE).subtract(d).mod(P);
    assertThat(value(Field25519.INVSQRT_A_MINUS_D).pow(2).multiply(aMinusD).mod(P))
        .isEqualTo(BigInteger.ONE);
  }

  @Test
  void sqrtRatioM1MatchesRfcSemantics() {
    for (int i = 0; i < 100; i++) {
      BigInteger u = new BigInteger(255, RANDOM).mod(P);
      BigInteger v = new BigInteger(255, RANDOM).mod(P).max(BigInteger.ONE);
      int[] r = X25519Field.create();
      boolean square = Field25519.sqrtRatioM1(field(u), field(v), r) != 0;
      BigInteger root = value(r);
      assertThat(root.testBit(0)).isFalse(); // non-negative
      BigInteger ratio = u.multiply(v.modInverse(P)).mod(P);
      BigInteger target = square ? ratio : ratio.multiply(value(Field25519.SQRT_M1)).mod(P);
      assertThat(root.pow(2).mod(P)).isEqualTo(target);
      assertThat(square).isEqualTo(ratio.signum() == 0 || ratio.modPow(P.shiftRight(1), P).equals(BigInteger.ONE));
    }
  }

  private static boolean elisabethAccepts(byte[] enc) {
    try {
      new CompressedRistretto(enc).decompress();
      return true;
    } catch (InvalidEncodingException e) {
      return false;
    }
  }

  private static BigInteger value(int[] fe) {
    byte[] le = new byte[32];
    X25519Field.encode(Field25519.normalized(fe), le, 0);
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = le[31 - i];
    }
    return new BigInteger(1, be);
  }

  private static int[] field(BigInteger v) {
    byte[] be = v.toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < Math.min(32, be.length); i++) {
      le[i] = be[be.length - 1 - i];
    }
    int[] z = X25519Field.create();
    X25519Field.decode(le, 0, z);
    return z;
  }
}
