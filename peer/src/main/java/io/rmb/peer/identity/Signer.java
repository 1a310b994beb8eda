package io.rmb.peer.identity;

/**
 * Signs bytes with one twin's account key in RMB's prefixed form.
 *
 * <p>Implementations are thread-safe. {@link #sign(byte[])} returns exactly 65 bytes: the
 * {@link KeyType#prefix()} byte followed by the 64-byte signature.
 */
public interface Signer {
  /** The scheme this signer uses. */
  KeyType keyType();

  /** The 32-byte account public key (a copy). */
  byte[] publicKey();

  /** Signs {@code message}; returns the 65-byte prefixed signature. */
  byte[] sign(byte[] message);
}
