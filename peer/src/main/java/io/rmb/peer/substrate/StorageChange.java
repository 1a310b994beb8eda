package io.rmb.peer.substrate;

import java.util.Optional;

/**
 * One changed storage key in a {@code state_storage} notification.
 *
 * @param key the raw storage key
 * @param value the new SCALE value, or empty when the key was removed
 */
public record StorageChange(byte[] key, Optional<byte[]> value) {
  @Override
  public String toString() {
    return "StorageChange{" + HexBytes.encode(key) + " -> "
        + value.map(HexBytes::encode).orElse("(removed)") + "}";
  }
}
