package io.rmb.bridge.redis;

import io.rmb.peer.RmbException;

/** Redis could not be reached within the configured number of attempts. */
public final class RedisUnavailableException extends RmbException {
  private static final long serialVersionUID = 1L;

  public RedisUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
