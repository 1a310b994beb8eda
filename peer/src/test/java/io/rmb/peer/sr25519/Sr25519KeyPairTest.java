package io.rmb.peer.sr25519;

import static io.rmb.peer.sr25519.TestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.peer.FixedRandom;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sr25519KeyPairTest {
  private static final SecureRandom RNG = new SecureRandom();
  private static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RNG.nextBytes(b);
    return b;
  }

  private static Sr25519KeyPair randomPair() {
    return Sr25519KeyPair.fromMiniSecret(random(32));
  }

  @Test
  void signVerifyRoundTrips() {
    for (int i = 0; i < 20; i++) {
      Sr25519KeyPair pair = randomPair();
      byte[] msg = random(i * 13); // includes the empty message
      byte[] sig = pair.sign(msg, RNG);
      assertThat(sig).hasSize(64);
      assertThat(sig[63] & 0x80).isEqualTo(0x80);
      assertThat(Sr25519KeyPair.verify(pair.publicKey(), msg, sig)).isTrue();
    }
  }

  @Test
  void signingIsRandomizedButBothSignaturesVerify() {
    Sr25519KeyPair pair = randomPair();
    byte[] msg = "hello".getBytes(StandardCharsets.US_ASCII);
    byte[] a = pair.sign(msg, RNG);
    byte[] b = pair.sign(msg, RNG);
    assertThat(a).isNotEqualTo(b);
    assertThat(Sr25519KeyPair.verify(pair.publicKey(), msg, a)).isTrue();
    assertThat(Sr25519KeyPair.verify(pair.publicKey(), msg, b)).isTrue();
  }

  @Test
  void tamperingAnyByteBreaksVerification() {
    Sr25519KeyPair pair = randomPair();
    byte[] msg = random(40);
    byte[] sig = pair.sign(msg, RNG);
    byte[] pk = pair.publicKey();
    for (int i = 0; i < 64; i++) {
      byte[] bad = sig.clone();
      bad[i] ^= 1;
      assertThat(Sr25519KeyPair.verify(pk, msg, bad)).as("signature byte %d", i).isFalse();
    }
    for (int i = 0; i < msg.length; i++) {
      byte[] bad = msg.clone();
      bad[i] ^= (byte) 0x80;
      assertThat(Sr25519KeyPair.verify(pk, bad, sig)).as("message byte %d", i).isFalse();
    }
    for (int i = 0; i < 32; i++) {
      byte[] bad = pk.clone();
      bad[i] ^= 4;
      assertThat(Sr25519KeyPair.verify(bad, msg, sig)).as("public key byte %d", i).isFalse();
    }
    assertThat(Sr25519KeyPair.verify(pk, Arrays.copyOf(msg, 41), sig)).isFalse();
    assertThat(Sr25519KeyPair.verify(randomPair().publicKey(), msg, sig)).isFalse();
  }

  @Test
  void signingContextIsBound() {
    Sr25519KeyPair pair = randomPair();
    byte[] msg = random(10);
    byte[] ctx = "other".getBytes(StandardCharsets.US_ASCII);
    byte[] sig = pair.signWithContext(ctx, msg, RNG);
    assertThat(Sr25519KeyPair.verifyWithContext(ctx, pair.publicKey(), msg, sig)).isTrue();
    assertThat(Sr25519KeyPair.verify(pair.publicKey(), msg, sig)).isFalse();
    byte[] substrate = "substrate".getBytes(StandardCharsets.US_ASCII);
    byte[] sig2 = pair.signWithContext(substrate, msg, RNG);
    assertThat(Sr25519KeyPair.verify(pair.publicKey(), msg, sig2)).isTrue();
    assertThat(Sr25519KeyPair.verifyWithContext(null, pair.publicKey(), msg, sig2)).isFalse();
  }

  @Test
  void markerBitIsRequired() {
    Sr25519KeyPair pair = randomPair();
    byte[] msg = random(5);
    byte[] sig = pair.sign(msg, RNG);
    sig[63] &= 0x7f;
    assertThat(Sr25519KeyPair.verify(pair.publicKey(), msg, sig)).isFalse();
  }

  @Test
  void nonCanonicalScalarIsRejected() {
    Sr25519KeyPair pair = randomPair();
    byte[] msg = random(5);
    byte[] sig = pair.sign(msg, RNG);
    byte[] sLe = Arrays.copyOfRange(sig, 32, 64);
    sLe[31] &= 0x7f;
    // s + l is the same residue, so only the canonical check can reject it.
    BigInteger s = new BigInteger(1, reverse(sLe)).add(L);
    byte[] bad = sig.clone();
    byte[] sPlusL = reverse(toFixed32(s));
    System.arraycopy(sPlusL, 0, bad, 32, 32);
    bad[63] |= (byte) 0x80;
    assertThat(Sr25519KeyPair.verify(pair.publicKey(), msg, bad)).isFalse();
    // all-ones s (with marker) is far above l
    byte[] ones = sig.clone();
    Arrays.fill(ones, 32, 64, (byte) 0xff);
    assertThat(Sr25519KeyPair.verify(pair.publicKey(), msg, ones)).isFalse();
  }

  @Test
  void verifyReturnsFalseForGarbageAndNeverThrows() {
    Sr25519KeyPair pair = randomPair();
    byte[] pk = pair.publicKey();
    byte[] msg = random(8);
    byte[] sig = pair.sign(msg, RNG);
    Random r = new Random(7);
    for (int i = 0; i < 200; i++) {
      byte[] garbage = new byte[64];
      r.nextBytes(garbage);
      assertThat(Sr25519KeyPair.verify(pk, msg, garbage)).isFalse();
      byte[] garbagePk = new byte[32];
      r.nextBytes(garbagePk);
      assertThat(Sr25519KeyPair.verify(garbagePk, msg, sig)).isFalse();
    }
    assertThat(Sr25519KeyPair.verify(null, msg, sig)).isFalse();
    assertThat(Sr25519KeyPair.verify(pk, null, sig)).isFalse();
    assertThat(Sr25519KeyPair.verify(pk, msg, null)).isFalse();
    assertThat(Sr25519KeyPair.verify(Arrays.copyOf(pk, 31), msg, sig)).isFalse();
    assertThat(Sr25519KeyPair.verify(Arrays.copyOf(pk, 33), msg, sig)).isFalse();
    assertThat(Sr25519KeyPair.verify(pk, msg, Arrays.copyOf(sig, 63))).isFalse();
    assertThat(Sr25519KeyPair.verify(pk, msg, Arrays.copyOf(sig, 65))).isFalse();
    assertThat(Sr25519KeyPair.verify(pk, msg, new byte[0])).isFalse();
    byte[] undecodable = new byte[32];
    Arrays.fill(undecodable, (byte) 0xff); // >= p, not a Ristretto encoding
    assertThat(Sr25519KeyPair.verify(undecodable, msg, sig)).isFalse();
    byte[] badR = sig.clone();
    System.arraycopy(undecodable, 0, badR, 0, 32);
    assertThat(Sr25519KeyPair.verify(pk, msg, badR)).isFalse();
  }

  @Test
  void wrongArgumentsThrowIllegalArgumentExceptionWithMessage() {
    Sr25519KeyPair pair = randomPair();
    assertThatThrownBy(() -> Sr25519KeyPair.fromMiniSecret(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sr25519 mini secret must be 32 bytes, got 31");
    assertThatThrownBy(() -> Sr25519KeyPair.fromMiniSecret(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sr25519 mini secret must be 32 bytes, got null");
    assertThatThrownBy(() -> Sr25519KeyPair.fromSecretKeyBytes(new byte[32]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sr25519 secret key must be 64 bytes, got 32");
    assertThatThrownBy(() -> Sr25519KeyPair.fromSecretKeyBytes(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secret key");
    assertThatThrownBy(() -> pair.deriveHard(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sr25519 chain code must be 32 bytes, got 33");
    assertThatThrownBy(() -> pair.deriveSoft(null, RNG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sr25519 chain code must be 32 bytes, got null");
    assertThatThrownBy(() -> pair.deriveSoft(new byte[32], null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rng");
    assertThatThrownBy(() -> pair.sign(null, RNG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("message");
    assertThatThrownBy(() -> pair.sign(new byte[1], null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rng");
    assertThatThrownBy(() -> pair.signWithContext(null, new byte[1], RNG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("context");
    byte[] nonCanonical = new byte[64];
    Arrays.fill(nonCanonical, 0, 32, (byte) 0xff); // scalar (2^256-1)/8 > l
    assertThatThrownBy(() -> Sr25519KeyPair.fromSecretKeyBytes(nonCanonical))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("canonical");
  }

  @Test
  void secretKeyBytesRoundTripAndLayout() {
    byte[] mini = random(32);
    Sr25519KeyPair pair = Sr25519KeyPair.fromMiniSecret(mini);
    byte[] sk = pair.secretKeyBytes();
    assertThat(sk[0] & 7).isZero(); // scalar * 8
    Sr25519KeyPair back = Sr25519KeyPair.fromSecretKeyBytes(sk);
    assertThat(back.secretKeyBytes()).isEqualTo(sk);
    assertThat(back.publicKey()).isEqualTo(pair.publicKey());
    // A soft-derived scalar is an arbitrary value mod l; its layout must round-trip too.
    Sr25519KeyPair soft = pair.deriveSoft(random(32), RNG);
    Sr25519KeyPair softBack = Sr25519KeyPair.fromSecretKeyBytes(soft.secretKeyBytes());
    assertThat(softBack.secretKeyBytes()).isEqualTo(soft.secretKeyBytes());
    assertThat(softBack.publicKey()).isEqualTo(soft.publicKey());
    // Returned arrays are copies.
    pair.publicKey()[0] ^= 1;
    assertThat(pair.publicKey()).isEqualTo(back.publicKey());
    assertThat(pair.toString()).contains(hex(pair.publicKey())).doesNotContain(hex(sk));
  }

  @Test
  void softDerivationPublicKeyIsDeterministicNonceIsNot() {
    Sr25519KeyPair pair = randomPair();
    byte[] cc = random(32);
    Sr25519KeyPair a = pair.deriveSoft(cc, new FixedRandom(new byte[] {1}));
    Sr25519KeyPair b = pair.deriveSoft(cc, new FixedRandom(new byte[] {2}));
    Sr25519KeyPair c = pair.deriveSoft(cc, new FixedRandom(new byte[] {1}));
    assertThat(a.publicKey()).isEqualTo(b.publicKey());
    assertThat(a.secretKeyBytes()).isNotEqualTo(b.secretKeyBytes());
    assertThat(a.secretKeyBytes()).isEqualTo(c.secretKeyBytes());
    assertThat(Arrays.copyOf(a.secretKeyBytes(), 32)).isEqualTo(Arrays.copyOf(b.secretKeyBytes(), 32));
    assertThat(pair.deriveSoft(random(32), RNG).publicKey()).isNotEqualTo(a.publicKey());
  }

  @Test
  void hardDerivationIsDeterministic() {
    Sr25519KeyPair pair = randomPair();
    byte[] cc = random(32);
    assertThat(pair.deriveHard(cc).secretKeyBytes()).isEqualTo(pair.deriveHard(cc).secretKeyBytes());
    assertThat(pair.deriveHard(cc).publicKey()).isNotEqualTo(pair.publicKey());
  }

  @Test
  void cofactorShiftsAreInverse() {
    Random r = new Random(3);
    for (int i = 0; i < 100; i++) {
      byte[] x = new byte[32];
      r.nextBytes(x);
      x[31] &= 0x1f;
      byte[] y = x.clone();
      Sr25519KeyPair.multiplyByCofactor(y);
      assertThat(new BigInteger(1, reverse(y))).isEqualTo(new BigInteger(1, reverse(x)).shiftLeft(3));
      Sr25519KeyPair.divideByCofactor(y);
      assertThat(y).isEqualTo(x);
    }
  }

  private static byte[] reverse(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }

  private static byte[] toFixed32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }
}
