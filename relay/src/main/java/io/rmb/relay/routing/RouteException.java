package io.rmb.relay.routing;

import io.rmb.peer.RmbException;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * An envelope the relay refuses; {@link #getMessage()} is the exact text of the relay error
 * envelope sent back for a request.
 */
public final class RouteException extends RmbException {
  private static final long serialVersionUID = 1L;

  private final RouteFailure failure;

  /** A refusal with the failure's own message. */
  public RouteException(RouteFailure failure) {
    this(failure, failure.message(), null);
  }

  /** A refusal with a more precise message (for failures that carry a cause). */
  public RouteException(RouteFailure failure, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  /** Why the envelope was refused. */
  public RouteFailure failure() {
    return failure;
  }

  /**
   * The route exception behind {@code error} (unwrapping {@link CompletionException}); any
   * other throwable becomes {@link RouteFailure#INTERNAL} naming its message.
   */
  public static RouteException of(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof RouteException) {
      return (RouteException) cause;
    }
    return new RouteException(RouteFailure.INTERNAL,
        RouteFailure.INTERNAL.message() + ": " + cause, cause);
  }

  /** {@code error} without its {@link CompletionException} wrappers. */
  public static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
