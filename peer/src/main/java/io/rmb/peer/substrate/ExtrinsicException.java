package io.rmb.peer.substrate;

/**
 * An extrinsic was not finalized: the node refused it (invalid, dropped, usurped), it
 * was retracted past its finality timeout, or it did not finalize in the time given.
 */
public class ExtrinsicException extends SubstrateException {
  private static final long serialVersionUID = 1L;

  public ExtrinsicException(String message) {
    super(message);
  }

  public ExtrinsicException(String message, Throwable cause) {
    super(message, cause);
  }
}
