package io.rmb.peer.substrate;

/**
 * SCALE bytes that cannot be decoded: truncated input, an invalid option tag, a
 * non-canonical compact integer, a length beyond the input, trailing bytes. The message names
 * the field and the offset.
 */
public class ScaleException extends SubstrateException {
  private static final long serialVersionUID = 1L;

  public ScaleException(String message) {
    super(message);
  }

  public ScaleException(String message, Throwable cause) {
    super(message, cause);
  }
}
