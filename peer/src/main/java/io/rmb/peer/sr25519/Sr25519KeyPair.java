package io.rmb.peer.sr25519;

import java.security.SecureRandom;

/**
 * A schnorrkel (sr25519) key pair: secret scalar, nonce and the Ristretto255 public key.
 *
 * <p>STUB: the sr25519 helper replaces every body; the signatures are the agreed API.
 */
public final class Sr25519KeyPair {
  private Sr25519KeyPair() {}

  /** Expands a 32-byte mini secret in schnorrkel's Ed25519 mode. */
  public static Sr25519KeyPair fromMiniSecret(byte[] miniSecret) {
    throw new UnsupportedOperationException("sr25519 not implemented yet");
  }

  /** Reads the 64-byte {@code to_ed25519_bytes} layout (scalar*8 LE || nonce). */
  public static Sr25519KeyPair fromSecretKeyBytes(byte[] secretKey) {
    throw new UnsupportedOperationException("sr25519 not implemented yet");
  }

  /** The 64-byte {@code to_ed25519_bytes} layout. */
  public byte[] secretKeyBytes() {
    throw new UnsupportedOperationException("sr25519 not implemented yet");
  }

  /** The 32-byte compressed Ristretto public key. */
  public byte[] publicKey() {
    throw new UnsupportedOperationException("sr25519 not implemented yet");
  }

  /** Substrate hard derivation with a 32-byte chain code. */
  public Sr25519KeyPair deriveHard(byte[] chainCode) {
    throw new UnsupportedOperationException("sr25519 not implemented yet");
  }

  /** Schnorrkel soft derivation with a 32-byte chain code; the new nonce draws on {@code rng}. */
  public Sr25519KeyPair deriveSoft(byte[] chainCode, SecureRandom rng) {
    throw new UnsupportedOperationException("sr25519 not implemented yet");
  }

  /** Signs with context "substrate"; 64 bytes, marker bit set. */
  public byte[] sign(byte[] message, SecureRandom rng) {
    throw new UnsupportedOperationException("sr25519 not implemented yet");
  }

  /** Verifies a 64-byte signature with context "substrate". */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    throw new UnsupportedOperationException("sr25519 not implemented yet");
  }
}
