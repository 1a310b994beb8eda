package io.rmb.peer.substrate;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a signature over an extrinsic commits to besides the call: the runtime's spec and
 * transaction versions and the genesis hash (which is also the era's block hash, since this
 * client only sends immortal extrinsics). Read them with
 * {@link ChainApi#transactionContext()}. Immutable.
 */
public final class TransactionContext {
  private final long specVersion;
  private final long transactionVersion;
  private final byte[] genesisHash;

  /**
   * @param specVersion the runtime's {@code specVersion} (u32)
   * @param transactionVersion the runtime's {@code transactionVersion} (u32)
   * @param genesisHash the 32-byte hash of block 0
   */
  public TransactionContext(long specVersion, long transactionVersion, byte[] genesisHash) {
    if (specVersion < 0 || specVersion > 0xffff_ffffL) {
      throw new IllegalArgumentException("specVersion must be a u32, got " + specVersion);
    }
    if (transactionVersion < 0 || transactionVersion > 0xffff_ffffL) {
      throw new IllegalArgumentException("transactionVersion must be a u32, got "
          + transactionVersion);
    }
    Objects.requireNonNull(genesisHash, "genesisHash");
    if (genesisHash.length != 32) {
      throw new IllegalArgumentException("genesis hash must be 32 bytes, got "
          + genesisHash.length);
    }
    this.specVersion = specVersion;
    this.transactionVersion = transactionVersion;
    this.genesisHash = genesisHash.clone();
  }

  /** The runtime spec version. */
  public long specVersion() {
    return specVersion;
  }

  /** The runtime transaction version. */
  public long transactionVersion() {
    return transactionVersion;
  }

  /** The genesis block hash (a copy). */
  public byte[] genesisHash() {
    return genesisHash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransactionContext other && specVersion == other.specVersion
        && transactionVersion == other.transactionVersion
        && Arrays.equals(genesisHash, other.genesisHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(specVersion, transactionVersion, Arrays.hashCode(genesisHash));
  }

  @Override
  public String toString() {
    return "TransactionContext{spec=" + specVersion + ", tx=" + transactionVersion
        + ", genesis=" + HexBytes.encode(genesisHash) + "}";
  }
}
