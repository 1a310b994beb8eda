package io.rmb.peer.substrate;

/**
 * A node accepted the request but did not answer within the per-call timeout.
 */
public class RpcTimeoutException extends SubstrateException {
  private static final long serialVersionUID = 1L;

  public RpcTimeoutException(String message) {
    super(message);
  }

  public RpcTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
