package io.rmb.peer.substrate;

/**
 * No node could be reached or the connection was lost before the answer arrived.
 * {@link SubstrateClient} retries these on the next URL until its attempts are used up, then
 * fails the call with one naming every URL it tried.
 */
public class RpcTransportException extends SubstrateException {
  private static final long serialVersionUID = 1L;

  public RpcTransportException(String message) {
    super(message);
  }

  public RpcTransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
