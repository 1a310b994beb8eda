package io.rmb.peer.identity;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * The secp256k1 key pair used for RMB end-to-end encryption (wire.md sections 1 and 4).
 *
 * <p>rmb-peer builds it by parsing the <em>whole</em> secret either as {@code 0x} + hex or as a
 * bare BIP39 mnemonic ({@code e2e::Pair::from_str}); the secret is the 32-byte seed, or the
 * substrate-bip39 mini secret with an empty password. Any junction or "///" makes that parse
 * fail, so such a secret has no e2e key: rmb-peer refuses to start, a gateway may run the twin
 * unencrypted.
 */
final class E2eKey {
  static final int SECRET_LENGTH = 32;
  static final int PUBLIC_KEY_LENGTH = 33;

  private static final X9ECParameters SECP256K1 = CustomNamedCurves.getByName("secp256k1");

  private final byte[] secret;
  private final byte[] publicKey;

  private E2eKey(byte[] secret, byte[] publicKey) {
    this.secret = secret;
    this.publicKey = publicKey;
  }

  /**
   * The e2e key of a secret URI, or empty when the URI has a derivation path or password.
   *
   * @throws InvalidSecretException if the secret is not a valid secp256k1 scalar (0 or at least
   *     the group order), which rmb-peer refuses as well
   */
  static Optional<E2eKey> of(SecretUri uri) {
    if (!uri.isBare()) {
      return Optional.empty();
    }
    return Optional.of(fromSecret(uri.rootSecret()));
  }

  /** The key for a 32-byte secret; takes ownership of the array. */
  static E2eKey fromSecret(byte[] secret) {
    if (secret.length != SECRET_LENGTH) {
      throw new InvalidSecretException(
          "secp256k1 secret must be 32 bytes, got " + secret.length);
    }
    BigInteger d = new BigInteger(1, secret);
    if (d.signum() == 0 || d.compareTo(SECP256K1.getN()) >= 0) {
      Arrays.fill(secret, (byte) 0);
      throw new InvalidSecretException(
          "seed is not a valid secp256k1 secret key (zero or not below the curve order);"
              + " it cannot serve as the e2e encryption key");
    }
    byte[] publicKey =
        new FixedPointCombMultiplier().multiply(SECP256K1.getG(), d).normalize().getEncoded(true);
    return new E2eKey(secret, publicKey);
  }

  /** The 32-byte secret scalar, big-endian (a copy). */
  byte[] secret() {
    return secret.clone();
  }

  /** The 33-byte compressed SEC1 public key (a copy): the twin's {@code pk} on chain. */
  byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public String toString() {
    return "E2eKey[secp256k1]";
  }
}
