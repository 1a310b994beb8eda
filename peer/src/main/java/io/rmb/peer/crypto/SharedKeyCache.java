package io.rmb.peer.crypto;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded, least-recently-used cache of ECDH shared keys keyed by the peer's public key.
 *
 * <p>Bounded because peer keys come from the network: an unbounded map would let any number
 * of twins grow our heap. The lock is held only for map access; a miss computes the ECDH
 * outside it (two threads may compute the same key once, which is harmless).
 */
final class SharedKeyCache {
  private final int capacity;
  private final Function<ByteBuffer, byte[]> compute;
  private final LinkedHashMap<ByteBuffer, byte[]> entries;

  SharedKeyCache(int capacity, Function<ByteBuffer, byte[]> compute) {
    if (capacity < 1) {
      throw new IllegalArgumentException("shared key cache size must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
    this.compute = compute;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<ByteBuffer, byte[]> eldest) {
        return size() > SharedKeyCache.this.capacity;
      }
    };
  }

  byte[] get(byte[] peerPublicKey) {
    if (peerPublicKey == null) {
      throw new E2eCryptoException("peer public key is null");
    }
    ByteBuffer key = ByteBuffer.wrap(peerPublicKey.clone());
    byte[] shared;
    synchronized (entries) {
      shared = entries.get(key);
    }
    if (shared == null) {
      shared = compute.apply(key);
      synchronized (entries) {
        entries.put(key, shared);
      }
    }
    return shared;
  }

  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
