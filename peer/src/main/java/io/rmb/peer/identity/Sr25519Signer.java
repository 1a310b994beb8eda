package io.rmb.peer.identity;

import io.rmb.peer.sr25519.Sr25519KeyPair;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * Schnorrkel (sr25519) signer with signing context "substrate". Signatures are randomised: the
 * nonce draws on the injected {@link SecureRandom}, so two signatures of the same message differ
 * and both verify.
 */
final class Sr25519Signer implements Signer {
  private final Sr25519KeyPair keyPair;
  private final byte[] publicKey;
  private final SecureRandom rng;

  Sr25519Signer(Sr25519KeyPair keyPair, SecureRandom rng) {
    this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
    this.rng = Objects.requireNonNull(rng, "rng");
    this.publicKey = keyPair.publicKey();
  }

  /**
   * Expands {@code miniSecret} (schnorrkel Ed25519 mode) and applies {@code junctions} in
   * order, as sp-core's sr25519 {@code Pair::derive} does. A soft step draws its new nonce from
   * {@code rng}, so the public key is reproducible but the secret nonce is not.
   */
  static Sr25519Signer derive(byte[] miniSecret, List<Junction> junctions, SecureRandom rng) {
    Sr25519KeyPair pair = Sr25519KeyPair.fromMiniSecret(miniSecret);
    for (Junction junction : junctions) {
      pair = junction.isHard()
          ? pair.deriveHard(junction.chainCode())
          : pair.deriveSoft(junction.chainCode(), rng);
    }
    return new Sr25519Signer(pair, rng);
  }

  @Override
  public KeyType keyType() {
    return KeyType.SR25519;
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] sign(byte[] message) {
    Objects.requireNonNull(message, "message");
    byte[] raw = keyPair.sign(message, rng);
    if (raw.length != 64) {
      throw new IllegalStateException("sr25519 signature must be 64 bytes, got " + raw.length);
    }
    byte[] signature = new byte[1 + raw.length];
    signature[0] = KeyType.SR25519.prefix();
    System.arraycopy(raw, 0, signature, 1, raw.length);
    return signature;
  }

  /** The key pair; package-private for tests. */
  Sr25519KeyPair keyPair() {
    return keyPair;
  }

  @Override
  public String toString() {
    return "Sr25519Signer[" + Ss58.encode(publicKey) + "]";
  }
}
