package io.rmb.peer.identity;

import java.util.Locale;

/**
 * The two signature schemes RMB accepts, each with the prefix byte that precedes a 64-byte
 * signature on the wire (wire.md section 3).
 */
public enum KeyType {
  /** Schnorrkel over Ristretto255, signing context "substrate"; prefix {@code 's'} (0x73). */
  SR25519((byte) 's', "sr25519"),
  /** RFC 8032 Ed25519; prefix {@code 'e'} (0x65). */
  ED25519((byte) 'e', "ed25519");

  private final byte prefix;
  private final String label;

  KeyType(byte prefix, String label) {
    this.prefix = prefix;
    this.label = label;
  }

  /** The byte that precedes a signature made with this scheme. */
  public byte prefix() {
    return prefix;
  }

  /** The lowercase name used by rmb-peer's {@code --key-type} flag. */
  public String label() {
    return label;
  }

  /**
   * The scheme for a signature prefix byte.
   *
   * @throws IllegalArgumentException when the byte is neither 's' nor 'e'
   */
  public static KeyType fromPrefix(byte prefix) {
    for (KeyType type : values()) {
      if (type.prefix == prefix) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        String.format("unknown signature prefix 0x%02x (expected 's' or 'e')", prefix & 0xff));
  }

  /**
   * Parses {@code sr25519} or {@code ed25519} (case-insensitive).
   *
   * @throws IllegalArgumentException for any other text
   */
  public static KeyType fromLabel(String label) {
    if (label != null) {
      String normalized = label.trim().toLowerCase(Locale.ROOT);
      for (KeyType type : values()) {
        if (type.label.equals(normalized)) {
          return type;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown key type '" + label + "' (expected sr25519 or ed25519)");
  }

  @Override
  public String toString() {
    return label;
  }
}
