package io.rmb.peer.token;

import io.rmb.peer.RmbException;

/** A relay JWT that is malformed, badly signed, expired or lives longer than allowed. */
public class InvalidTokenException extends RmbException {
  private static final long serialVersionUID = 1L;

  public InvalidTokenException(String message) {
    super(message);
  }

  public InvalidTokenException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The token's {@code exp} is in the past. */
  public static final class Expired extends InvalidTokenException {
    private static final long serialVersionUID = 1L;

    public Expired(String message) {
      super(message);
    }
  }
}
