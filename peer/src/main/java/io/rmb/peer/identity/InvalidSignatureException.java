package io.rmb.peer.identity;

import io.rmb.peer.RmbException;

/**
 * A signature that is malformed (wrong length, unknown prefix byte, key of the wrong size) or
 * does not verify against the given public key and message.
 */
public class InvalidSignatureException extends RmbException {
  private static final long serialVersionUID = 1L;

  public InvalidSignatureException(String message) {
    super(message);
  }

  public InvalidSignatureException(String message, Throwable cause) {
    super(message, cause);
  }
}
