package io.rmb.peer.substrate;

import io.rmb.peer.RmbException;

/**
 * Root of the failures of the Substrate client: malformed SCALE, node errors, unreachable
 * nodes, timeouts, rejected extrinsics. Callers that only care whether the chain worked catch
 * this one; the subclasses say what went wrong.
 */
public class SubstrateException extends RmbException {
  private static final long serialVersionUID = 1L;

  public SubstrateException(String message) {
    super(message);
  }

  public SubstrateException(String message, Throwable cause) {
    super(message, cause);
  }
}
