package io.rmb.peer.identity;

import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * RFC 8032 Ed25519 signer. Deterministic: the same key and message always give the same
 * signature, byte for byte equal to sp-core's and polkadot.js'.
 */
final class Ed25519Signer implements Signer {
  private final byte[] seed;
  private final byte[] publicKey;

  /** Takes a copy of the 32-byte seed. */
  Ed25519Signer(byte[] seed) {
    this.seed = seed.clone();
    this.publicKey = Ed25519Keys.publicKey(this.seed);
  }

  @Override
  public KeyType keyType() {
    return KeyType.ED25519;
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] sign(byte[] message) {
    Objects.requireNonNull(message, "message");
    byte[] signature = new byte[1 + Ed25519.SIGNATURE_SIZE];
    signature[0] = KeyType.ED25519.prefix();
    // Ed25519.sign is a pure static function over its arguments: safe from any thread.
    Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, signature, 1);
    return signature;
  }

  /** The seed (a copy); package-private so only tests and this package can see it. */
  byte[] seed() {
    return seed.clone();
  }

  @Override
  public String toString() {
    return "Ed25519Signer[" + Ss58.encode(publicKey) + "]";
  }
}
