package io.rmb.peer.substrate;

/**
 * A node answered something that is not what the JSON-RPC method promises: not JSON,
 * no result, a result of the wrong type, bad hex, a hash of the wrong length.
 */
public class RpcProtocolException extends SubstrateException {
  private static final long serialVersionUID = 1L;

  public RpcProtocolException(String message) {
    super(message);
  }

  public RpcProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
