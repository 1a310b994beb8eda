package io.rmb.relay;

import io.rmb.peer.RmbException;

/** The relay cannot start (for example its port is taken) or failed to stop cleanly. */
public class RelayException extends RmbException {
  private static final long serialVersionUID = 1L;

  public RelayException(String message) {
    super(message);
  }

  public RelayException(String message, Throwable cause) {
    super(message, cause);
  }
}
