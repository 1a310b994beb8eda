package io.rmb.peer.substrate;

/**
 * The node answered with a JSON-RPC error object, for example {@code 1010 Invalid Transaction}
 * or {@code -32601 Method not found}. Not retried on another node: the request reached a node
 * and the node said no.
 */
public class RpcException extends SubstrateException {
  private static final long serialVersionUID = 1L;

  private final long code;
  private final String data;

  /**
   * @param method the JSON-RPC method that failed
   * @param code the error code from the node
   * @param message the error message from the node
   * @param data the error's {@code data} member as JSON text, or null
   */
  public RpcException(String method, long code, String message, String data) {
    super(method + " failed: " + code + " " + message + (data == null ? "" : " (" + data + ")"));
    this.code = code;
    this.data = data;
  }

  /** The JSON-RPC error code. */
  public long code() {
    return code;
  }

  /** The error's {@code data} member as JSON text, or null when absent. */
  public String data() {
    return data;
  }
}
