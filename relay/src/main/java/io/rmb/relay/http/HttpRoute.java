package io.rmb.relay.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One plain-HTTP endpoint of the relay, matched by exact method and path (query ignored).
 *
 * <p>Requests that ask for a WebSocket upgrade never reach a route: they open a session on any
 * path. The relay answers 404 for a method and path no route claims.
 */
public interface HttpRoute {
  /** The method this route answers. */
  HttpMethod method();

  /** The exact path this route answers, such as {@code /} or {@code /metrics}. */
  String path();

  /**
   * Answers {@code request}. Called on the connection's event loop: must not block; return an
   * incomplete stage for slow work. The request (body included, at most the relay's maximum
   * body size) is released when the returned stage completes. A failed stage is answered with
   * 500.
   */
  CompletionStage<FullHttpResponse> handle(FullHttpRequest request);

  /** A route from a function. */
  static HttpRoute of(HttpMethod method, String path,
      Function<FullHttpRequest, CompletionStage<FullHttpResponse>> handler) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(handler, "handler");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("route path must start with '/', got " + path);
    }
    return new HttpRoute() {
      @Override
      public HttpMethod method() {
        return method;
      }

      @Override
      public String path() {
        return path;
      }

      @Override
      public CompletionStage<FullHttpResponse> handle(FullHttpRequest request) {
        return handler.apply(request);
      }

      @Override
      public String toString() {
        return "HttpRoute{" + method + " " + path + "}";
      }
    };
  }
}
