package io.rmb.peer.twin;

import io.rmb.peer.RmbException;

/** A twin directory that cannot be read: missing or malformed file, unreachable chain. */
public class TwinDirectoryException extends RmbException {
  private static final long serialVersionUID = 1L;

  public TwinDirectoryException(String message) {
    super(message);
  }

  public TwinDirectoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
