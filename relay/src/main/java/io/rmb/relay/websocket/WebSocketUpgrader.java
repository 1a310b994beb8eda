package io.rmb.relay.websocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.rmb.relay.http.HttpDispatchHandler;
import io.rmb.relay.http.HttpRoutes;
import io.rmb.relay.limit.FixedWindowRateLimiter;
import io.rmb.relay.routing.RouteException;
import io.rmb.relay.routing.Router;
import io.rmb.relay.routing.Switchboard;
import io.rmb.relay.stats.RelayCounters;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an HTTP upgrade request into a WebSocket session: authenticate the JWT (the whole
 * query string, on any path), then hand the connection over to a
 * {@link WebSocketSessionHandler} and register its {@link ChannelSession}.
 *
 * <p>The connection stops reading while the twin is looked up (the lookup completes on the
 * directory's thread; the rest continues on the connection's event loop). A refused upgrade is
 * answered with a plain-text 400 (no token), 401 (bad, expired or unknown-twin token) or 500
 * (directory failure) and closed. Shared by all connections.
 */
public final class WebSocketUpgrader implements HttpDispatchHandler.Upgrade {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgrader.class);

  private final TokenAuthenticator authenticator;
  private final Router router;
  private final Switchboard switchboard;
  private final RelayCounters counters;
  private final Clock clock;
  private final int maxFrameSize;
  private final int bufferLimit;
  private final WebSocketDecoderConfig decoderConfig;
  private final FixedWindowRateLimiter limiter;
  private final KeepAlive keepAlive;

  /**
   * @param maxFrameSize largest envelope accepted, in bytes, whether sent in one frame or
   *     fragmented
   * @param bufferLimit live envelopes a session keeps while it drains the offline queue
   */
  public WebSocketUpgrader(TokenAuthenticator authenticator, Router router,
      Switchboard switchboard, RelayCounters counters, Clock clock, int maxFrameSize,
      int bufferLimit) {
    this(authenticator, router, switchboard, counters, clock, maxFrameSize, bufferLimit, null,
        KeepAlive.DEFAULT);
  }

  /**
   * @param limiter the per-twin rate limiter of every session, or null for none
   * @param keepAlive when to ping clients and evict those that do not answer
   */
  public WebSocketUpgrader(TokenAuthenticator authenticator, Router router,
      Switchboard switchboard, RelayCounters counters, Clock clock, int maxFrameSize,
      int bufferLimit, FixedWindowRateLimiter limiter, KeepAlive keepAlive) {
    this.limiter = limiter;
    this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.router = Objects.requireNonNull(router, "router");
    this.switchboard = Objects.requireNonNull(switchboard, "switchboard");
    this.counters = Objects.requireNonNull(counters, "counters");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxFrameSize = maxFrameSize;
    this.bufferLimit = bufferLimit;
    this.decoderConfig = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(maxFrameSize)
        // clients must mask (RFC 6455 5.1); every RMB client does
        .allowMaskMismatch(false)
        .allowExtensions(false)
        .closeOnProtocolViolation(true)
        .build();
  }

  @Override
  public void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
    Channel channel = ctx.channel();
    channel.config().setAutoRead(false);
    authenticator.authenticate(query(request.uri())).whenComplete((authenticated, error) ->
        ctx.executor().execute(() -> {
          try {
            if (!channel.isActive()) {
              return;
            }
            if (error != null) {
              reject(ctx, RouteException.unwrap(error));
            } else {
              handshake(ctx, request, authenticated);
            }
          } finally {
            request.release();
          }
        }));
  }

  private void handshake(ChannelHandlerContext ctx, FullHttpRequest request,
      TokenAuthenticator.Authenticated authenticated) {
    Channel channel = ctx.channel();
    String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
    WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
        "ws://" + host + request.uri(), null, decoderConfig).newHandshaker(request);
    if (handshaker == null) {
      counters.upgradeRejected();
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel)
          .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
      return;
    }
    ChannelSession session = new ChannelSession(authenticated.key(), channel, switchboard,
        counters, clock, bufferLimit);
    ChannelFuture handshaken;
    try {
      handshaken = handshaker.handshake(channel, request);
    } catch (WebSocketHandshakeException e) {
      reject(ctx, new AuthenticationException(HttpResponseStatus.BAD_REQUEST,
          "bad websocket handshake: " + e.getMessage(), e));
      return;
    }
    // the handshake swapped the HTTP codec for WebSocket ones; frames come to the session now
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.addAfter(ctx.name(), "rmb-session",
        new WebSocketSessionHandler(session, router, switchboard, counters, clock, limiter));
    pipeline.addAfter(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(maxFrameSize));
    pipeline.addAfter(ctx.name(), "ws-keepalive", new KeepAliveHandler(keepAlive, counters));
    pipeline.remove(ctx.handler());
    // Register now, not when the 101 is flushed: a peer that has read the 101 may already be
    // addressed by others and must be found. Anything the session writes from here on is
    // queued behind the 101 (WebSocket frames pass the HTTP encoder untouched).
    counters.sessionOpened();
    if (switchboard.register(session).isPresent()) {
      counters.sessionReplaced();
    }
    LOG.debug("session {} connected from {}", session.key(), channel.remoteAddress());
    handshaken.addListener(done -> {
      if (done.isSuccess()) {
        channel.config().setAutoRead(true);
      } else {
        LOG.debug("handshake with {} failed", channel.remoteAddress(), done.cause());
        channel.close();
      }
    });
  }

  private void reject(ChannelHandlerContext ctx, Throwable error) {
    counters.upgradeRejected();
    AuthenticationException refused = error instanceof AuthenticationException
        ? (AuthenticationException) error
        : new AuthenticationException(HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "internal error: " + error, error);
    LOG.debug("upgrade from {} refused: {} {}", ctx.channel().remoteAddress(),
        refused.status().code(), refused.getMessage());
    HttpDispatchHandler.respond(ctx, HttpRoutes.text(refused.status(), refused.getMessage()),
        false);
  }

  /** The raw query string of {@code uri}: the whole of it is the token. */
  static String query(String uri) {
    int mark = uri.indexOf('?');
    return mark < 0 ? null : uri.substring(mark + 1);
  }
}
