package io.rmb.peer.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.encoders.Hex;

/**
 * A twin's secp256k1 encryption key (wire.md section 4): a 32-byte secret and its 33-byte
 * compressed SEC1 public key, which is the twin's {@code pk} on chain.
 *
 * <p>The JDK has no secp256k1 since Java 16, so BouncyCastle's curve is used.
 */
public final class E2eKeyPair {
  static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");

  private final BigInteger secret;
  private final byte[] publicKey;

  private E2eKeyPair(BigInteger secret) {
    this.secret = secret;
    this.publicKey =
        new FixedPointCombMultiplier().multiply(CURVE.getG(), secret).normalize().getEncoded(true);
  }

  /**
   * The key pair for a 32-byte big-endian secret.
   *
   * @throws E2eCryptoException when the secret is not 32 bytes or not in [1, n)
   */
  public static E2eKeyPair fromSecret(byte[] secret) {
    if (secret == null || secret.length != 32) {
      throw new E2eCryptoException("secp256k1 secret must be 32 bytes, got "
          + (secret == null ? "null" : secret.length));
    }
    BigInteger d = new BigInteger(1, secret);
    if (d.signum() == 0 || d.compareTo(CURVE.getN()) >= 0) {
      throw new E2eCryptoException("secp256k1 secret is out of range (must be in [1, n))");
    }
    return new E2eKeyPair(d);
  }

  /** The 32-byte big-endian secret (a copy). */
  public byte[] secret() {
    return org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, secret);
  }

  /** The 33-byte compressed public key (a copy). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The public key as lowercase hex without {@code 0x}. */
  public String publicKeyHex() {
    return Hex.toHexString(publicKey);
  }

  /**
   * The raw ECDH x-coordinate (32 bytes, big-endian) of this secret times {@code peerPublicKey}.
   * Callers hash it; see {@link E2eCipher}.
   *
   * @throws E2eCryptoException when the peer key is not a valid secp256k1 point encoding
   */
  byte[] ecdhX(byte[] peerPublicKey) {
    ECPoint peer = decodePoint(peerPublicKey);
    ECPoint shared = peer.multiply(secret).normalize();
    if (shared.isInfinity()) {
      throw new E2eCryptoException("ECDH produced the point at infinity");
    }
    return shared.getAffineXCoord().getEncoded();
  }

  static ECPoint decodePoint(byte[] encoded) {
    if (encoded == null || (encoded.length != 33 && encoded.length != 65)) {
      throw new E2eCryptoException("secp256k1 public key must be 33 (compressed) or 65 bytes, got "
          + (encoded == null ? "null" : encoded.length));
    }
    try {
      ECPoint point = CURVE.getCurve().decodePoint(encoded);
      if (!point.isValid()) {
        throw new E2eCryptoException("secp256k1 public key is not on the curve");
      }
      return point;
    } catch (IllegalArgumentException e) {
      throw new E2eCryptoException("invalid secp256k1 public key "
          + Hex.toHexString(Arrays.copyOf(encoded, Math.min(encoded.length, 8))) + "...: "
          + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "E2eKeyPair{publicKey=" + publicKeyHex() + "}";
  }
}
