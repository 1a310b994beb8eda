package io.rmb.peer.identity;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * SS58 account addresses with the generic substrate network prefix 42 (the "5..." addresses
 * tfchain shows): {@code base58(0x2a || key || blake2b-512("SS58PRE" || 0x2a || key)[0..2])}.
 *
 * <p>Only 32-byte account keys and prefix 42 are supported; any other prefix is refused rather
 * than silently accepted.
 */
public final class Ss58 {
  /** The generic substrate network prefix; tfchain uses it. */
  public static final int PREFIX = 42;

  private static final byte[] CHECKSUM_TAG = "SS58PRE".getBytes(StandardCharsets.US_ASCII);
  private static final int KEY_LENGTH = 32;
  private static final int CHECKSUM_LENGTH = 2;
  private static final int DECODED_LENGTH = 1 + KEY_LENGTH + CHECKSUM_LENGTH;
  /** A 35-byte payload needs at most 48 characters; much longer text is rejected early. */
  private static final int MAX_TEXT_LENGTH = 64;

  private Ss58() {}

  /**
   * Encodes a 32-byte public key as an SS58 address with prefix 42.
   *
   * @throws InvalidAddressException if {@code publicKey} is null or not 32 bytes
   */
  public static String encode(byte[] publicKey) {
    if (publicKey == null) {
      throw new InvalidAddressException("cannot encode an SS58 address: public key is null");
    }
    if (publicKey.length != KEY_LENGTH) {
      throw new InvalidAddressException(
          "cannot encode an SS58 address: public key must be 32 bytes, got " + publicKey.length);
    }
    byte[] payload = new byte[DECODED_LENGTH];
    payload[0] = (byte) PREFIX;
    System.arraycopy(publicKey, 0, payload, 1, KEY_LENGTH);
    byte[] checksum = checksum(Arrays.copyOf(payload, 1 + KEY_LENGTH));
    payload[1 + KEY_LENGTH] = checksum[0];
    payload[2 + KEY_LENGTH] = checksum[1];
    return Base58.encode(payload);
  }

  /**
   * Decodes an SS58 address with prefix 42 to its 32-byte public key.
   *
   * @throws InvalidAddressException naming the problem: null or empty, invalid base58 character,
   *     network prefix other than 42, wrong decoded length, checksum mismatch
   */
  public static byte[] decode(String address) {
    if (address == null) {
      throw new InvalidAddressException("SS58 address is null");
    }
    if (address.isEmpty()) {
      throw new InvalidAddressException("SS58 address is empty");
    }
    if (address.length() > MAX_TEXT_LENGTH) {
      throw new InvalidAddressException(
          "SS58 address is too long: " + address.length() + " characters (expected 47 or 48)");
    }
    byte[] decoded = Base58.decode(address);
    if (decoded.length == 0) {
      throw wrongLength(0);
    }
    int first = decoded[0] & 0xff;
    if (first >= 128) {
      throw new InvalidAddressException(
          String.format("SS58 prefix byte 0x%02x is reserved, expected network prefix 42", first));
    }
    if (first >= 64) {
      // Two-byte prefix form (networks 64..16383): name the network, then refuse it.
      int network = decoded.length < 2
          ? -1
          : ((first & 0x3f) << 2) | ((decoded[1] & 0xff) >>> 6) | ((decoded[1] & 0x3f) << 8);
      throw new InvalidAddressException(
          "SS58 network prefix " + (network < 0 ? "(truncated two-byte form)" : network)
              + ", expected 42");
    }
    if (first != PREFIX) {
      throw new InvalidAddressException("SS58 network prefix " + first + ", expected 42");
    }
    if (decoded.length != DECODED_LENGTH) {
      throw wrongLength(decoded.length);
    }
    byte[] checksum = checksum(Arrays.copyOf(decoded, 1 + KEY_LENGTH));
    if (checksum[0] != decoded[1 + KEY_LENGTH] || checksum[1] != decoded[2 + KEY_LENGTH]) {
      throw new InvalidAddressException("SS58 checksum mismatch (address mistyped or truncated)");
    }
    return Arrays.copyOfRange(decoded, 1, 1 + KEY_LENGTH);
  }

  /** First two bytes of blake2b-512("SS58PRE" || prefix || key). */
  private static byte[] checksum(byte[] prefixAndKey) {
    return Arrays.copyOf(Hashes.blake2b512(CHECKSUM_TAG, prefixAndKey), CHECKSUM_LENGTH);
  }

  private static InvalidAddressException wrongLength(int length) {
    return new InvalidAddressException(
        "SS58 address decodes to " + length + " bytes, expected 35 (prefix 42, 32-byte key,"
            + " 2-byte checksum)");
  }
}
