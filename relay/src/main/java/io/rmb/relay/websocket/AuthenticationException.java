package io.rmb.relay.websocket;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.rmb.peer.RmbException;
import java.util.Objects;

/**
 * A WebSocket upgrade the relay refuses, with the HTTP status to answer and a plain-text reason
 * worded like rmb-rs ({@code missing jwt}, {@code invalid jwt: ...}, {@code twin not found 7},
 * {@code failed to get twin: ...}).
 */
public final class AuthenticationException extends RmbException {
  private static final long serialVersionUID = 1L;

  private final transient HttpResponseStatus status;

  public AuthenticationException(HttpResponseStatus status, String message, Throwable cause) {
    super(message, cause);
    this.status = Objects.requireNonNull(status, "status");
  }

  /** 400: the URL has no query string, so there is no token. */
  public static AuthenticationException missingToken() {
    return new AuthenticationException(HttpResponseStatus.BAD_REQUEST, "missing jwt", null);
  }

  /** 401: the token is malformed, badly signed, expired or lives too long. */
  public static AuthenticationException invalidToken(Throwable cause) {
    return new AuthenticationException(HttpResponseStatus.UNAUTHORIZED,
        "invalid jwt: " + cause.getMessage(), cause);
  }

  /** 401: the token's twin is not in the directory. */
  public static AuthenticationException unknownTwin(long twin) {
    return new AuthenticationException(HttpResponseStatus.UNAUTHORIZED,
        "twin not found " + twin, null);
  }

  /** 500: the directory could not be read, so the token cannot be checked. */
  public static AuthenticationException lookupFailed(Throwable cause) {
    return new AuthenticationException(HttpResponseStatus.INTERNAL_SERVER_ERROR,
        "failed to get twin: " + cause.getMessage(), cause);
  }

  /** The HTTP status to answer the upgrade request with. */
  public HttpResponseStatus status() {
    return status;
  }
}
