package io.rmb.peer.substrate;

import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * The BLAKE2b hashes Substrate uses for storage map keys ({@code Blake2_128Concat}) and for
 * signing payloads longer than 256 bytes. The twox128 hashes of pallet and item names are not
 * computed here: the few this client needs are constants (see {@link StorageKey}).
 */
public final class Hashing {
  private Hashing() {}

  /** BLAKE2b with a 128-bit output. */
  public static byte[] blake2b128(byte[] data) {
    return blake2b(128, data);
  }

  /** BLAKE2b with a 256-bit output. */
  public static byte[] blake2b256(byte[] data) {
    return blake2b(256, data);
  }

  /** The {@code Blake2_128Concat} storage hasher: blake2b-128(data) || data. */
  public static byte[] blake2b128Concat(byte[] data) {
    byte[] hash = blake2b128(data);
    byte[] out = new byte[hash.length + data.length];
    System.arraycopy(hash, 0, out, 0, hash.length);
    System.arraycopy(data, 0, out, hash.length, data.length);
    return out;
  }

  private static byte[] blake2b(int bits, byte[] data) {
    Blake2bDigest digest = new Blake2bDigest(bits);
    digest.update(data, 0, data.length);
    byte[] out = new byte[bits / 8];
    digest.doFinal(out, 0);
    return out;
  }
}
