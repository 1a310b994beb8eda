package io.rmb.peer.substrate;

/**
 * The chain runs a runtime version this client does not know. Pallet and call indices
 * have moved between runtime versions without a transaction-version bump, so signing a call
 * for an unknown runtime could execute a different call; the client refuses instead.
 */
public class UnsupportedRuntimeException extends SubstrateException {
  private static final long serialVersionUID = 1L;

  public UnsupportedRuntimeException(String message) {
    super(message);
  }

  public UnsupportedRuntimeException(String message, Throwable cause) {
    super(message, cause);
  }
}
