package io.rmb.peer.identity;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;

/** The unkeyed hash functions substrate uses for keys and addresses. */
final class Hashes {
  private Hashes() {}

  /** BLAKE2b with a 256-bit output over the concatenation of {@code parts}. */
  static byte[] blake2b256(byte[]... parts) {
    return digest(new Blake2bDigest(256), parts);
  }

  /** BLAKE2b with a 512-bit output over the concatenation of {@code parts}. */
  static byte[] blake2b512(byte[]... parts) {
    return digest(new Blake2bDigest(512), parts);
  }

  /** SHA-256 over the concatenation of {@code parts}. */
  static byte[] sha256(byte[]... parts) {
    return digest(new SHA256Digest(), parts);
  }

  private static byte[] digest(Digest digest, byte[]... parts) {
    for (byte[] part : parts) {
      digest.update(part, 0, part.length);
    }
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return out;
  }
}
