package io.rmb.peer.identity;

import io.rmb.peer.RmbException;

/**
 * An SS58 address that cannot be decoded (bad base58 character, wrong length, network prefix
 * other than 42, checksum mismatch) or a key that cannot be encoded as one.
 */
public class InvalidAddressException extends RmbException {
  private static final long serialVersionUID = 1L;

  public InvalidAddressException(String message) {
    super(message);
  }

  public InvalidAddressException(String message, Throwable cause) {
    super(message, cause);
  }
}
