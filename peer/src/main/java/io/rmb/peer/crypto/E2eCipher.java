package io.rmb.peer.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * End-to-end payload encryption between two twins (wire.md section 4).
 *
 * <p>shared key = sha256(x-coordinate of ECDH(own secret, peer pk)); payload = nonce (12) ||
 * AES-256-GCM ciphertext || tag (16), no associated data. Nonces come from the injected
 * {@link SecureRandom}; any nonce is accepted when decrypting (the TS client sends weak ones).
 * Shared keys are cached per peer public key in a bounded {@link SharedKeyCache}, so the ECDH
 * is paid once per peer. Thread-safe.
 */
public final class E2eCipher {
  /** Nonce length in bytes. */
  public static final int NONCE_LENGTH = 12;
  /** GCM tag length in bytes. */
  public static final int TAG_LENGTH = 16;
  /** Default number of peers whose shared key is cached. */
  public static final int DEFAULT_CACHE_SIZE = 1024;

  private final E2eKeyPair own;
  private final SecureRandom random;
  private final SharedKeyCache cache;

  public E2eCipher(E2eKeyPair own, SecureRandom random) {
    this(own, random, DEFAULT_CACHE_SIZE);
  }

  public E2eCipher(E2eKeyPair own, SecureRandom random, int cacheSize) {
    this.own = Objects.requireNonNull(own, "own key pair");
    this.random = Objects.requireNonNull(random, "random");
    this.cache = new SharedKeyCache(cacheSize, this::computeSharedKey);
  }

  /** Our own public key (33 bytes, compressed). */
  public byte[] publicKey() {
    return own.publicKey();
  }

  /** The 32-byte AES key shared with {@code peerPublicKey} (cached). */
  public byte[] sharedKey(byte[] peerPublicKey) {
    return cache.get(peerPublicKey).clone();
  }

  /** Encrypts {@code plaintext} for {@code peerPublicKey} with a fresh random nonce. */
  public byte[] encrypt(byte[] peerPublicKey, byte[] plaintext) {
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    return encrypt(peerPublicKey, plaintext, nonce);
  }

  /** Encrypts with a caller-chosen nonce; exposed for test vectors only. */
  byte[] encrypt(byte[] peerPublicKey, byte[] plaintext, byte[] nonce) {
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] key = cache.get(peerPublicKey);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_LENGTH * 8, nonce));
      byte[] out = new byte[NONCE_LENGTH + plaintext.length + TAG_LENGTH];
      System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
      cipher.doFinal(plaintext, 0, plaintext.length, out, NONCE_LENGTH);
      return out;
    } catch (GeneralSecurityException e) {
      throw new E2eCryptoException("AES-GCM encryption failed: " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts a payload from {@code peerPublicKey}.
   *
   * @throws E2eCryptoException when the payload is too short, the peer key is invalid, or
   *     authentication fails
   */
  public byte[] decrypt(byte[] peerPublicKey, byte[] payload) {
    if (payload == null || payload.length < NONCE_LENGTH + TAG_LENGTH) {
      throw new E2eCryptoException("cipher payload must be at least "
          + (NONCE_LENGTH + TAG_LENGTH) + " bytes (nonce + tag), got "
          + (payload == null ? "null" : payload.length));
    }
    byte[] key = cache.get(peerPublicKey);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_LENGTH * 8, payload, 0, NONCE_LENGTH));
      return cipher.doFinal(payload, NONCE_LENGTH, payload.length - NONCE_LENGTH);
    } catch (AEADBadTagException e) {
      throw new E2eCryptoException("cipher payload failed authentication (wrong key or tampered)",
          e);
    } catch (GeneralSecurityException e) {
      throw new E2eCryptoException("AES-GCM decryption failed: " + e.getMessage(), e);
    }
  }

  /** Number of cached shared keys; for metrics and tests. */
  public int cachedPeers() {
    return cache.size();
  }

  private byte[] computeSharedKey(ByteBuffer peerPublicKey) {
    byte[] encoded = new byte[peerPublicKey.remaining()];
    peerPublicKey.duplicate().get(encoded);
    byte[] x = own.ecdhX(encoded);
    try {
      return MessageDigest.getInstance("SHA-256").digest(x);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
