package io.rmb.peer.identity;

import io.rmb.peer.crypto.E2eCryptoException;
import io.rmb.peer.crypto.E2eKeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A twin's keys, built from the same secret rmb-peer takes with {@code -m}: the account key
 * (sr25519 or ed25519) that signs envelopes and JWTs, and the optional secp256k1 key for
 * end-to-end encryption.
 *
 * <p>Accepted secrets: a BIP39 English mnemonic, optionally followed by a derivation path and
 * password ({@code words//hard/soft///password}); {@code 0x} + 64 hex digits (optionally with
 * junctions); a dev URI such as {@code //Alice} (substrate's dev phrase + path). The e2e key
 * exists only for a bare mnemonic or a bare {@code 0x} seed.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows the key type and SS58 address only.
 */
public final class Identity {
  private final KeyType keyType;
  private final Signer signer;
  private final byte[] publicKey;
  private final String ss58;
  private final E2eKeyPair e2e; // null when the secret has a derivation path or password

  private Identity(KeyType keyType, Signer signer, E2eKeyPair e2e) {
    this.keyType = keyType;
    this.signer = signer;
    this.publicKey = signer.publicKey();
    this.ss58 = Ss58.encode(publicKey);
    this.e2e = e2e;
  }

  /**
   * Same as {@link #fromSecret(String, KeyType, SecureRandom)} with a new default {@link
   * SecureRandom}.
   */
  public static Identity fromSecret(String secret, KeyType type) {
    return fromSecret(secret, type, new SecureRandom());
  }

  /**
   * Derives the identity for {@code secret}.
   *
   * @param secret mnemonic, {@code 0x} seed or secret URI (see the class documentation)
   * @param type account key scheme; rmb-peer defaults to sr25519
   * @param rng randomness for sr25519 signatures and soft derivation (unused for ed25519)
   * @throws InvalidSecretException if the secret cannot be parsed, the mnemonic is invalid, an
   *     ed25519 path has a soft junction, or a bare seed is not a valid secp256k1 scalar
   * @throws NullPointerException if {@code type} or {@code rng} is null
   */
  public static Identity fromSecret(String secret, KeyType type, SecureRandom rng) {
    Objects.requireNonNull(type, "key type");
    Objects.requireNonNull(rng, "rng");
    SecretUri uri = SecretUri.parse(secret);
    byte[] root = uri.rootSecret();
    try {
      // Same root secret as rmb-peer's e2e::Pair::from_str, which only accepts bare secrets.
      E2eKeyPair e2e = uri.isBare() ? e2eKey(root) : null;
      Signer signer = type == KeyType.ED25519
          ? ed25519Signer(root, uri)
          // A copy: the sr25519 key pair might keep the array, and `root` is wiped below.
          : Sr25519Signer.derive(root.clone(), uri.junctions(), rng);
      return new Identity(type, signer, e2e);
    } finally {
      Arrays.fill(root, (byte) 0);
    }
  }

  private static E2eKeyPair e2eKey(byte[] root) {
    try {
      return E2eKeyPair.fromSecret(root);
    } catch (E2eCryptoException e) {
      // rmb-peer refuses such a seed too
      throw new InvalidSecretException("seed is not a valid secp256k1 secret key (zero or not"
          + " below the curve order); it cannot serve as the e2e encryption key", e);
    }
  }

  private static Signer ed25519Signer(byte[] root, SecretUri uri) {
    byte[] seed = Ed25519Keys.derive(root, uri.junctions());
    try {
      return new Ed25519Signer(seed); // copies the seed
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** The account key scheme. */
  public KeyType keyType() {
    return keyType;
  }

  /** The 32-byte account id (public key), a copy. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The account address, SS58 with prefix 42. */
  public String ss58() {
    return ss58;
  }

  /** Signs with the account key; signatures are 65 bytes, prefixed with the key type. */
  public Signer signer() {
    return signer;
  }

  /** The secp256k1 e2e key pair; absent when the secret had a path or password. */
  public Optional<E2eKeyPair> e2eKeyPair() {
    return Optional.ofNullable(e2e);
  }

  /** The 32-byte secp256k1 e2e secret (a copy); absent when the secret had a path or password. */
  public Optional<byte[]> e2eSecret() {
    return e2e == null ? Optional.empty() : Optional.of(e2e.secret());
  }

  /** The 33-byte compressed secp256k1 public key (the twin's {@code pk}), or absent. */
  public Optional<byte[]> e2ePublicKey() {
    return e2e == null ? Optional.empty() : Optional.of(e2e.publicKey());
  }

  /** Key type, address and whether an e2e key exists; never any secret. */
  @Override
  public String toString() {
    return "Identity[" + keyType + " " + ss58 + ", e2e " + (e2e != null ? "yes" : "no") + "]";
  }
}
