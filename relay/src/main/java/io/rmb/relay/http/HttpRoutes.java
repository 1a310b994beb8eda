package io.rmb.relay.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Ready-made routes and plain-text responses. */
public final class HttpRoutes {
  /** Body of the placeholder for {@code POST /}. */
  public static final String FEDERATION_NOT_IMPLEMENTED =
      "federation ingest (POST /) is not supported by this relay yet";
  /** Body of the placeholder for {@code GET /metrics}. */
  public static final String METRICS_NOT_IMPLEMENTED =
      "metrics (GET /metrics) are not served by this relay yet";
  /** Body of a 404, as rmb-rs words it. */
  public static final String NOT_FOUND = "page not found";

  private HttpRoutes() {}

  /**
   * The placeholders a relay serves until real routes replace them: {@code POST /} and
   * {@code GET /metrics}, both 501 Not Implemented with a plain-text reason.
   */
  public static List<HttpRoute> placeholders() {
    return List.of(
        notImplemented(HttpMethod.POST, "/", FEDERATION_NOT_IMPLEMENTED),
        notImplemented(HttpMethod.GET, "/metrics", METRICS_NOT_IMPLEMENTED));
  }

  /**
   * {@code GET /health}: liveness, 200 {@code ok} while the relay's event loops answer HTTP
   * (the same port as the WebSocket, so a load balancer's probe exercises the real listener).
   */
  public static HttpRoute health() {
    return HttpRoute.of(HttpMethod.GET, "/health", request -> CompletableFuture.completedFuture(
        text(HttpResponseStatus.OK, "ok")));
  }

  /** A route that answers 501 with {@code reason}. */
  public static HttpRoute notImplemented(HttpMethod method, String path, String reason) {
    return HttpRoute.of(method, path, request -> CompletableFuture.completedFuture(
        text(HttpResponseStatus.NOT_IMPLEMENTED, reason)));
  }

  /** A response with a UTF-8 plain-text body and its content length. */
  public static FullHttpResponse text(HttpResponseStatus status, String body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    return response;
  }
}
