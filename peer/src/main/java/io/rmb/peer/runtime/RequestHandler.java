package io.rmb.peer.runtime;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Serves one command. Runs on the peer's handler executor, never on a socket thread.
 *
 * <p>A thrown exception, an exceptionally completed stage or a null reply is answered with an
 * error of code 0 carrying the exception message, as rmb-peer and the Go SDK do.
 */
@FunctionalInterface
public interface RequestHandler {
  /** Handles {@code request}; the reply goes back to its source, reusing its uid. */
  CompletionStage<Reply> handle(IncomingRequest request) throws Exception;

  /** A handler that computes its reply synchronously on the handler executor. */
  static RequestHandler sync(Function<IncomingRequest, Reply> function) {
    Objects.requireNonNull(function, "function");
    return request -> CompletableFuture.completedFuture(function.apply(request));
  }
}
