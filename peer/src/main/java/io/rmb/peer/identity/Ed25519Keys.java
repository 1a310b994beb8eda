package io.rmb.peer.identity;

import java.util.Arrays;
import java.util.List;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 key derivation as sp-core does it: the 32-byte mini secret is the RFC 8032 seed, and
 * each hard junction replaces it with blake2b-256(SCALE("Ed25519HDKD") || seed || chain code).
 * Ed25519 has no soft derivation; sp-core refuses it ({@code DeriveError::SoftKeyInPath}).
 */
final class Ed25519Keys {
  static final int SEED_LENGTH = 32;
  static final int PUBLIC_KEY_LENGTH = 32;

  /** SCALE encoding of the string "Ed25519HDKD": compact length 11 (0x2c), then the ASCII. */
  private static final byte[] HDKD_TAG = Scale.string("Ed25519HDKD");

  private Ed25519Keys() {}

  /**
   * Applies {@code junctions} to {@code seed} in order; returns a new array.
   *
   * @throws InvalidSecretException if any junction is soft
   */
  static byte[] derive(byte[] seed, List<Junction> junctions) {
    requireSeed(seed);
    for (int i = 0; i < junctions.size(); i++) {
      if (!junctions.get(i).isHard()) {
        throw new InvalidSecretException(
            "soft derivation not supported for ed25519: junction " + (i + 1) + " is soft ('/');"
                + " use a hard junction ('//') or the sr25519 key type");
      }
    }
    byte[] current = seed.clone();
    for (Junction junction : junctions) {
      byte[] next = deriveHard(current, junction.chainCode());
      Arrays.fill(current, (byte) 0);
      current = next;
    }
    return current;
  }

  /** One hard derivation step: {@code ("Ed25519HDKD", seed, cc).using_encoded(blake2_256)}. */
  static byte[] deriveHard(byte[] seed, byte[] chainCode) {
    requireSeed(seed);
    if (chainCode.length != Junction.CHAIN_CODE_LENGTH) {
      throw new IllegalArgumentException("chain code must be 32 bytes, got " + chainCode.length);
    }
    // Fixed-size arrays are SCALE-encoded without a length prefix.
    return Hashes.blake2b256(HDKD_TAG, seed, chainCode);
  }

  /** The RFC 8032 public key of a 32-byte seed. */
  static byte[] publicKey(byte[] seed) {
    requireSeed(seed);
    byte[] pk = new byte[PUBLIC_KEY_LENGTH];
    Ed25519.generatePublicKey(seed, 0, pk, 0);
    return pk;
  }

  private static void requireSeed(byte[] seed) {
    if (seed.length != SEED_LENGTH) {
      throw new IllegalArgumentException("ed25519 seed must be 32 bytes, got " + seed.length);
    }
  }
}
