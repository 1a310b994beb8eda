package io.rmb.relay.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler after the HTTP codec and aggregator: a WebSocket upgrade on any path goes to
 * the {@link Upgrade} handler, anything else to the {@link HttpRoute} for its method and path,
 * or 404.
 *
 * <p>One per connection (not sharable). While a route answers asynchronously the connection
 * stops reading, so pipelined requests are answered in order.
 */
public final class HttpDispatchHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(HttpDispatchHandler.class);

  /** Takes a WebSocket upgrade request; owns (and must release) the request it is given. */
  @FunctionalInterface
  public interface Upgrade {
    void upgrade(ChannelHandlerContext ctx, FullHttpRequest request);
  }

  private final Map<String, HttpRoute> routes;
  private final Upgrade upgrade;

  /**
   * @param routes the routes; a later route for the same method and path replaces an earlier
   *     one, so callers list placeholders first
   */
  public HttpDispatchHandler(List<HttpRoute> routes, Upgrade upgrade) {
    this.routes = index(routes);
    this.upgrade = Objects.requireNonNull(upgrade, "upgrade");
  }

  /** Indexes routes by method and path, later ones winning. */
  public static Map<String, HttpRoute> index(List<HttpRoute> routes) {
    Map<String, HttpRoute> index = new HashMap<>();
    for (HttpRoute route : routes) {
      index.put(key(route.method().name(), route.path()), route);
    }
    return Map.copyOf(index);
  }

  /**
   * True for a WebSocket upgrade request: a {@code Connection} header with the token
   * {@code upgrade} and {@code Upgrade: websocket}, both case-insensitive.
   */
  public static boolean isWebSocketUpgrade(HttpRequest request) {
    return request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE,
        true)
        && request.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      respond(ctx, HttpRoutes.text(HttpResponseStatus.BAD_REQUEST,
          "bad request: " + request.decoderResult().cause()), false);
      return;
    }
    if (isWebSocketUpgrade(request)) {
      upgrade.upgrade(ctx, request.retain());
      return;
    }
    HttpRoute route = routes.get(key(request.method().name(), path(request.uri())));
    if (route == null) {
      respond(ctx, HttpRoutes.text(HttpResponseStatus.NOT_FOUND, HttpRoutes.NOT_FOUND),
          HttpUtil.isKeepAlive(request));
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    request.retain();
    CompletionStage<FullHttpResponse> answer;
    try {
      answer = Objects.requireNonNull(route.handle(request), "route returned null");
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<FullHttpResponse> future = answer.toCompletableFuture();
    if (!future.isDone()) {
      ctx.channel().config().setAutoRead(false);
    }
    future.whenComplete((response, error) -> ctx.executor().execute(() -> {
      request.release();
      ctx.channel().config().setAutoRead(true);
      if (error != null) {
        LOG.warn("route {} failed", route, error);
        respond(ctx, HttpRoutes.text(HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "internal error"), false);
      } else {
        respond(ctx, response, keepAlive);
      }
    }));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("HTTP connection {} failed", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }

  /** Writes {@code response}, closing the connection afterwards unless {@code keepAlive}. */
  public static void respond(ChannelHandlerContext ctx, FullHttpResponse response,
      boolean keepAlive) {
    HttpUtil.setKeepAlive(response, keepAlive);
    if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      HttpUtil.setContentLength(response, response.content().readableBytes());
    }
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static String path(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  private static String key(String method, String path) {
    return method + " " + path;
  }
}
