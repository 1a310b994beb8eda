package io.rmb.peer.sr25519;

import cafe.cryptography.curve25519.Scalar;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A schnorrkel (sr25519) key pair: secret scalar, nonce and the Ristretto255 public key.
 *
 * <p>Wire-compatible with schnorrkel 0.11 as used by substrate's {@code sp_core::sr25519}:
 * keys expand from a 32-byte mini secret in {@code ExpansionMode::Ed25519}, signatures use
 * the signing context {@code "substrate"} and carry the schnorrkel marker bit (bit 7 of byte
 * 63), and hard/soft derivation follow substrate's junctions. Instances are immutable and
 * thread-safe.
 *
 * <p>Arguments of the wrong length (or {@code null}) make the factory, derive and sign methods
 * throw {@link IllegalArgumentException}; {@link #verify} never throws and answers
 * {@code false} for anything malformed.
 */
public final class Sr25519KeyPair {
  private static final int MINI_SECRET_LENGTH = 32;
  private static final int SECRET_KEY_LENGTH = 64;
  private static final int PUBLIC_KEY_LENGTH = 32;
  private static final int CHAIN_CODE_LENGTH = 32;
  private static final int SIGNATURE_LENGTH = 64;

  /** The signing context substrate uses for every sr25519 signature. */
  private static final byte[] SUBSTRATE_CONTEXT = MerlinTranscript.ascii("substrate");

  private static final byte[] SIGNING_CONTEXT = MerlinTranscript.ascii("SigningContext");
  private static final byte[] EMPTY = new byte[0];
  private static final byte[] SIGN_BYTES = MerlinTranscript.ascii("sign-bytes");
  private static final byte[] PROTO_NAME = MerlinTranscript.ascii("proto-name");
  private static final byte[] SCHNORR_SIG = MerlinTranscript.ascii("Schnorr-sig");
  private static final byte[] SIGN_PK = MerlinTranscript.ascii("sign:pk");
  private static final byte[] SIGNING = MerlinTranscript.ascii("signing");
  private static final byte[] SIGN_R = MerlinTranscript.ascii("sign:R");
  private static final byte[] SIGN_C = MerlinTranscript.ascii("sign:c");
  private static final byte[] HDKD = MerlinTranscript.ascii("SchnorrRistrettoHDKD");
  private static final byte[] CHAIN_CODE = MerlinTranscript.ascii("chain-code");
  private static final byte[] SECRET_KEY = MerlinTranscript.ascii("secret-key");
  private static final byte[] PUBLIC_KEY = MerlinTranscript.ascii("public-key");
  private static final byte[] HDKD_HARD = MerlinTranscript.ascii("HDKD-hard");
  private static final byte[] HDKD_SCALAR = MerlinTranscript.ascii("HDKD-scalar");
  private static final byte[] HDKD_CHAINCODE = MerlinTranscript.ascii("HDKD-chaincode");
  private static final byte[] HDKD_NONCE = MerlinTranscript.ascii("HDKD-nonce");

  // signing_context(b"substrate") never changes, so its transcript is built once and forked.
  private static final MerlinTranscript SUBSTRATE_TRANSCRIPT = contextTranscript(SUBSTRATE_CONTEXT);

  private final Scalar key; // the signing scalar mod l (already divided by the cofactor)
  private final byte[] nonce; // 32 bytes that seed the signing witness
  private final byte[] publicKey; // compressed key*G

  private Sr25519KeyPair(Scalar key, byte[] nonce) {
    this.key = key;
    this.nonce = nonce;
    this.publicKey = mulBase(key);
  }

  /** Expands a 32-byte mini secret in schnorrkel's Ed25519 mode. */
  public static Sr25519KeyPair fromMiniSecret(byte[] miniSecret) {
    requireLength(miniSecret, MINI_SECRET_LENGTH, "mini secret");
    byte[] h = sha512(miniSecret);
    byte[] scalar = Arrays.copyOf(h, 32);
    // Clamp like Ed25519, then divide by the cofactor so the scalar is kept mod l; the result
    // is below 2^252 < l, hence already canonical.
    scalar[0] &= (byte) 248;
    scalar[31] &= 63;
    scalar[31] |= 64;
    divideByCofactor(scalar);
    Scalar key = Scalar.fromBits(scalar);
    byte[] nonce = Arrays.copyOfRange(h, 32, 64);
    Arrays.fill(h, (byte) 0);
    Arrays.fill(scalar, (byte) 0);
    return new Sr25519KeyPair(key, nonce);
  }

  /** Reads the 64-byte {@code to_ed25519_bytes} layout (scalar*8 LE || nonce). */
  public static Sr25519KeyPair fromSecretKeyBytes(byte[] secretKey) {
    requireLength(secretKey, SECRET_KEY_LENGTH, "secret key");
    byte[] scalar = Arrays.copyOf(secretKey, 32);
    // As schnorrkel's from_ed25519_bytes: the low three bits are dropped by the division.
    divideByCofactor(scalar);
    Scalar key;
    try {
      key = Scalar.fromCanonicalBytes(scalar);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sr25519 secret key scalar is not canonical", e);
    } finally {
      Arrays.fill(scalar, (byte) 0);
    }
    return new Sr25519KeyPair(key, Arrays.copyOfRange(secretKey, 32, 64));
  }

  /** The 64-byte {@code to_ed25519_bytes} layout. */
  public byte[] secretKeyBytes() {
    byte[] out = new byte[SECRET_KEY_LENGTH];
    byte[] scalar = key.toByteArray();
    multiplyByCofactor(scalar);
    System.arraycopy(scalar, 0, out, 0, 32);
    System.arraycopy(nonce, 0, out, 32, 32);
    Arrays.fill(scalar, (byte) 0);
    return out;
  }

  /** The 32-byte compressed Ristretto public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * Substrate hard derivation with a 32-byte chain code: schnorrkel's
   * {@code hard_derive_mini_secret_key(Some(cc), b"")}, expanded in Ed25519 mode.
   */
  public Sr25519KeyPair deriveHard(byte[] chainCode) {
    requireLength(chainCode, CHAIN_CODE_LENGTH, "chain code");
    MerlinTranscript t = new MerlinTranscript(HDKD);
    t.appendMessage(SIGN_BYTES, EMPTY);
    t.appendMessage(CHAIN_CODE, chainCode);
    byte[] scalar = key.toByteArray();
    t.appendMessage(SECRET_KEY, scalar);
    byte[] mini = new byte[MINI_SECRET_LENGTH];
    t.challengeBytes(HDKD_HARD, mini);
    Sr25519KeyPair derived = fromMiniSecret(mini);
    Arrays.fill(mini, (byte) 0);
    Arrays.fill(scalar, (byte) 0);
    return derived;
  }

  /**
   * Schnorrkel soft derivation ({@code derived_key_simple(cc, b"")}) with a 32-byte chain code.
   * The public key is deterministic ({@code pk + scalar*G}); the new nonce is a transcript
   * witness that also draws 32 bytes from {@code rng}.
   */
  public Sr25519KeyPair deriveSoft(byte[] chainCode, SecureRandom rng) {
    requireLength(chainCode, CHAIN_CODE_LENGTH, "chain code");
    requireRng(rng);
    MerlinTranscript t = new MerlinTranscript(HDKD);
    t.appendMessage(SIGN_BYTES, EMPTY);
    t.appendMessage(CHAIN_CODE, chainCode);
    t.appendMessage(PUBLIC_KEY, publicKey);
    Scalar offset = challengeScalar(t, HDKD_SCALAR);
    // The child chain code is unused here, but squeezing it changes the transcript state the
    // nonce witness is drawn from, so it must happen exactly as in schnorrkel.
    t.challengeBytes(HDKD_CHAINCODE, new byte[CHAIN_CODE_LENGTH]);
    byte[] scalarAndNonce = new byte[64]; // SecretKey::to_bytes: scalar || nonce
    System.arraycopy(key.toByteArray(), 0, scalarAndNonce, 0, 32);
    System.arraycopy(nonce, 0, scalarAndNonce, 32, 32);
    byte[] childNonce = new byte[32];
    t.witnessBytes(HDKD_NONCE, childNonce, rng, nonce, scalarAndNonce);
    Arrays.fill(scalarAndNonce, (byte) 0);
    return new Sr25519KeyPair(key.add(offset), childNonce);
  }

  /** Signs with context "substrate"; 64 bytes, marker bit set. */
  public byte[] sign(byte[] message, SecureRandom rng) {
    requireMessage(message);
    requireRng(rng);
    return sign(SUBSTRATE_TRANSCRIPT.copy(), message, rng);
  }

  /** Signs under a custom signing context (schnorrkel {@code signing_context(context)}). */
  public byte[] signWithContext(byte[] context, byte[] message, SecureRandom rng) {
    if (context == null) {
      throw new IllegalArgumentException("sr25519 signing context must not be null");
    }
    requireMessage(message);
    requireRng(rng);
    return sign(contextTranscript(context), message, rng);
  }

  private byte[] sign(MerlinTranscript t, byte[] message, SecureRandom rng) {
    t.appendMessage(SIGN_BYTES, message);
    t.appendMessage(PROTO_NAME, SCHNORR_SIG);
    t.appendMessage(SIGN_PK, publicKey);
    byte[] wide = new byte[64];
    t.witnessBytes(SIGNING, wide, rng, nonce);
    Scalar r = Scalar.fromBytesModOrderWide(wide);
    byte[] sig = new byte[SIGNATURE_LENGTH];
    System.arraycopy(mulBase(r), 0, sig, 0, 32);
    t.appendMessage(SIGN_R, sig, 0, 32);
    Scalar k = challengeScalar(t, SIGN_C);
    System.arraycopy(k.multiplyAndAdd(key, r).toByteArray(), 0, sig, 32, 32);
    sig[63] |= (byte) 0x80; // schnorrkel marker: distinguishes the signature from Ed25519
    Arrays.fill(wide, (byte) 0);
    return sig;
  }

  /** Verifies a 64-byte signature with context "substrate". */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    return message != null && verify(SUBSTRATE_TRANSCRIPT, publicKey, message, signature);
  }

  /** Verifies under a custom signing context; false (never an exception) when malformed. */
  public static boolean verifyWithContext(
      byte[] context, byte[] publicKey, byte[] message, byte[] signature) {
    return context != null
        && message != null
        && verify(contextTranscript(context), publicKey, message, signature);
  }

  private static boolean verify(
      MerlinTranscript context, byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null
        || publicKey.length != PUBLIC_KEY_LENGTH
        || signature == null
        || signature.length != SIGNATURE_LENGTH
        || (signature[63] & 0x80) == 0) { // schnorrkel rejects unmarked (Ed25519-style) sigs
      return false;
    }
    byte[] sBytes = Arrays.copyOfRange(signature, 32, 64);
    sBytes[31] &= 0x7f;
    Scalar s;
    try {
      s = Scalar.fromCanonicalBytes(sBytes);
    } catch (IllegalArgumentException e) {
      return false;
    }
    Edwards25519.Point a = Ristretto255.decode(publicKey);
    if (a == null) {
      return false;
    }
    MerlinTranscript t = context.copy();
    t.appendMessage(SIGN_BYTES, message);
    t.appendMessage(PROTO_NAME, SCHNORR_SIG);
    t.appendMessage(SIGN_PK, publicKey);
    t.appendMessage(SIGN_R, signature, 0, 32);
    Scalar k = challengeScalar(t, SIGN_C);
    // R must equal s*G - k*A. Like schnorrkel, R is compared in its compressed form, so an
    // undecodable or non-canonical R simply fails to match.
    byte[] expected = Ristretto255.encode(
        Ristretto255.mulDoubleBaseVar(k.toByteArray(), Edwards25519.negate(a), s.toByteArray()));
    return MessageDigest.isEqual(expected, Arrays.copyOf(signature, 32));
  }

  private static MerlinTranscript contextTranscript(byte[] context) {
    MerlinTranscript t = new MerlinTranscript(SIGNING_CONTEXT);
    t.appendMessage(EMPTY, context);
    return t;
  }

  // Compressed [s]G, constant time in s.
  private static byte[] mulBase(Scalar s) {
    byte[] bytes = s.toByteArray();
    byte[] encoded = Ristretto255.encode(Ristretto255.mulBase(bytes));
    Arrays.fill(bytes, (byte) 0);
    return encoded;
  }

  // schnorrkel's challenge_scalar: 64 challenge bytes reduced mod l.
  private static Scalar challengeScalar(MerlinTranscript t, byte[] label) {
    byte[] wide = new byte[64];
    t.challengeBytes(label, wide);
    return Scalar.fromBytesModOrderWide(wide);
  }

  /** Shifts a 256-bit little-endian integer right by 3 bits (divides by the cofactor 8). */
  static void divideByCofactor(byte[] s) {
    int low = 0;
    for (int i = 31; i >= 0; i--) {
      int b = s[i] & 0xff;
      s[i] = (byte) ((b >>> 3) | low);
      low = (b & 7) << 5;
    }
  }

  /** Shifts a 256-bit little-endian integer left by 3 bits; the scalar is below 2^253. */
  static void multiplyByCofactor(byte[] s) {
    int high = 0;
    for (int i = 0; i < 32; i++) {
      int b = s[i] & 0xff;
      s[i] = (byte) ((b << 3) | high);
      high = b >>> 5;
    }
  }

  private static byte[] sha512(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-512").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is required by every Java platform", e);
    }
  }

  private static void requireLength(byte[] value, int length, String what) {
    if (value == null || value.length != length) {
      throw new IllegalArgumentException(
          "sr25519 " + what + " must be " + length + " bytes, got "
              + (value == null ? "null" : String.valueOf(value.length)));
    }
  }

  private static void requireMessage(byte[] message) {
    if (message == null) {
      throw new IllegalArgumentException("sr25519 message must not be null");
    }
  }

  private static void requireRng(SecureRandom rng) {
    if (rng == null) {
      throw new IllegalArgumentException("sr25519 rng must not be null");
    }
  }

  @Override
  public String toString() {
    // Never print secret material.
    StringBuilder sb = new StringBuilder("Sr25519KeyPair[public=");
    for (byte b : publicKey) {
      sb.append(Character.forDigit((b >>> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.append(']').toString();
  }
}
