package io.rmb.peer.identity;

import io.rmb.peer.RmbException;
import io.rmb.peer.sr25519.Sr25519KeyPair;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Verifies RMB's 65-byte prefixed signatures against a 32-byte account key (wire.md section 3).
 *
 * <p>The prefix byte alone picks the scheme, as rmb-rs does: {@code 's'} (0x73) schnorrkel with
 * context "substrate", {@code 'e'} (0x65) RFC 8032 Ed25519. No fallback to the other scheme: an
 * ed25519 signature sent with an 's' prefix is rejected (the TS client's auto-detecting verifier
 * would accept it; rmb-rs does not). Ed25519 verification is BouncyCastle's, which rejects
 * non-canonical S.
 */
public final class SignatureVerifier {
  /** Prefix byte plus a 64-byte signature. */
  public static final int SIGNATURE_LENGTH = 65;

  private static final int PUBLIC_KEY_LENGTH = 32;

  private SignatureVerifier() {}

  /**
   * Checks {@code signature} over {@code message} with {@code publicKey}.
   *
   * @throws InvalidSignatureException naming the problem: a null argument, a signature that is
   *     not 65 bytes, an unknown prefix byte, a public key that is not 32 bytes, or "ed25519
   *     signature does not verify" / "sr25519 signature does not verify"
   */
  public static void verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (signature == null) {
      throw new InvalidSignatureException("signature is null");
    }
    if (publicKey == null) {
      throw new InvalidSignatureException("public key is null");
    }
    if (message == null) {
      throw new InvalidSignatureException("message is null");
    }
    if (signature.length != SIGNATURE_LENGTH) {
      throw new InvalidSignatureException(
          "signature must be 65 bytes (prefix byte + 64), got " + signature.length);
    }
    if (publicKey.length != PUBLIC_KEY_LENGTH) {
      throw new InvalidSignatureException(
          "public key must be 32 bytes, got " + publicKey.length);
    }
    byte prefix = signature[0];
    byte[] raw = Arrays.copyOfRange(signature, 1, SIGNATURE_LENGTH);
    if (prefix == KeyType.ED25519.prefix()) {
      if (!Ed25519.verify(raw, 0, publicKey, 0, message, 0, message.length)) {
        throw new InvalidSignatureException("ed25519 signature does not verify");
      }
    } else if (prefix == KeyType.SR25519.prefix()) {
      verifySr25519(publicKey, message, raw);
    } else {
      throw new InvalidSignatureException(String.format(
          "unknown signature prefix 0x%02x (expected 's' for sr25519 or 'e' for ed25519)",
          prefix & 0xff));
    }
  }

  /** True when {@link #verify} accepts; false for every {@link InvalidSignatureException}. */
  public static boolean isValid(byte[] publicKey, byte[] message, byte[] signature) {
    try {
      verify(publicKey, message, signature);
      return true;
    } catch (InvalidSignatureException e) {
      return false;
    }
  }

  private static void verifySr25519(byte[] publicKey, byte[] message, byte[] raw) {
    boolean valid;
    try {
      valid = Sr25519KeyPair.verify(publicKey, message, raw);
    } catch (IllegalArgumentException | RmbException e) {
      // A key that is no Ristretto point or a malformed scalar: invalid, not a crash.
      throw new InvalidSignatureException(
          "sr25519 signature does not verify: " + e.getMessage(), e);
    }
    if (!valid) {
      throw new InvalidSignatureException("sr25519 signature does not verify");
    }
  }
}
