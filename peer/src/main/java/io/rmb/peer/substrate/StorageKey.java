package io.rmb.peer.substrate;

import java.util.Objects;

/**
 * Builds the raw keys of Substrate storage items: {@code twox128(pallet) || twox128(item)} for
 * a plain value, followed by {@code blake2b-128(SCALE(key)) || SCALE(key)} for a map entry
 * hashed with {@code Blake2_128Concat}.
 *
 * <p>The twox128 prefixes are passed in as 16-byte constants rather than computed: a client
 * needs only a handful, they never change for a given pallet, and hard-coding them keeps
 * xxHash out of the dependencies. Callers pin them with a unit test.
 */
public final class StorageKey {
  /** Length of a twox128 hash. */
  public static final int PREFIX_LENGTH = 16;

  private StorageKey() {}

  /**
   * The key of a plain storage value.
   *
   * @param palletPrefix twox128 of the pallet name (16 bytes)
   * @param itemPrefix twox128 of the storage item name (16 bytes)
   */
  public static byte[] plain(byte[] palletPrefix, byte[] itemPrefix) {
    checkPrefix(palletPrefix, "pallet");
    checkPrefix(itemPrefix, "item");
    byte[] out = new byte[2 * PREFIX_LENGTH];
    System.arraycopy(palletPrefix, 0, out, 0, PREFIX_LENGTH);
    System.arraycopy(itemPrefix, 0, out, PREFIX_LENGTH, PREFIX_LENGTH);
    return out;
  }

  /**
   * The key of one entry of a {@code Blake2_128Concat} storage map.
   *
   * @param scaleKey the SCALE encoding of the map key (e.g. a u32 as 4 bytes little-endian)
   */
  public static byte[] blake2b128ConcatMap(byte[] palletPrefix, byte[] itemPrefix,
      byte[] scaleKey) {
    Objects.requireNonNull(scaleKey, "scaleKey");
    byte[] prefix = plain(palletPrefix, itemPrefix);
    byte[] hashed = Hashing.blake2b128Concat(scaleKey);
    byte[] out = new byte[prefix.length + hashed.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(hashed, 0, out, prefix.length, hashed.length);
    return out;
  }

  private static void checkPrefix(byte[] prefix, String what) {
    Objects.requireNonNull(prefix, what + " prefix");
    if (prefix.length != PREFIX_LENGTH) {
      throw new IllegalArgumentException(what + " prefix must be a 16-byte twox128 hash, got "
          + prefix.length + " bytes");
    }
  }
}
