package io.rmb.relay.websocket;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.rmb.relay.stats.RelayCounters;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings a quiet WebSocket client and closes it when it stays silent (see {@link KeepAlive}).
 * Sits behind the WebSocket decoder, so every frame read (a pong or anything else) proves the
 * client alive. Runs on the connection's event loop only: no locking.
 */
final class KeepAliveHandler extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(KeepAliveHandler.class);

  private final long intervalNanos;
  private final long timeoutNanos;
  private final RelayCounters counters;
  private long lastReadNanos;
  private ScheduledFuture<?> timer;

  KeepAliveHandler(KeepAlive keepAlive, RelayCounters counters) {
    this.intervalNanos = keepAlive.pingInterval().toNanos();
    this.timeoutNanos = keepAlive.pongTimeout().toNanos();
    this.counters = counters;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    lastReadNanos = now(ctx);
    schedulePing(ctx, intervalNanos);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    lastReadNanos = now(ctx);
    super.channelRead(ctx, msg);
  }

  private void schedulePing(ChannelHandlerContext ctx, long delayNanos) {
    timer = ctx.executor().schedule(() -> maybePing(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void maybePing(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    long quiet = now(ctx) - lastReadNanos;
    if (quiet < intervalNanos) {
      schedulePing(ctx, intervalNanos - quiet);
      return;
    }
    long pingedAt = now(ctx);
    ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
    timer = ctx.executor().schedule(() -> checkPong(ctx, pingedAt), timeoutNanos,
        TimeUnit.NANOSECONDS);
  }

  private void checkPong(ChannelHandlerContext ctx, long pingedAt) {
    if (!ctx.channel().isActive()) {
      return;
    }
    if (lastReadNanos - pingedAt >= 0) {
      // answered (or sent something) since the ping: wait for the next quiet interval
      schedulePing(ctx, Math.max(0, intervalNanos - (now(ctx) - lastReadNanos)));
      return;
    }
    counters.pingTimeout();
    LOG.debug("closing {}: no frame within {} ms of a ping", ctx.channel().remoteAddress(),
        TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
    // a stalled client may never read the close frame: close the socket right after trying
    ctx.writeAndFlush(new CloseWebSocketFrame(KeepAlive.CLOSE_CODE, KeepAlive.CLOSE_REASON))
        .addListener(ChannelFutureListener.CLOSE);
    ctx.executor().schedule(() -> ctx.channel().close(), timeoutNanos, TimeUnit.NANOSECONDS);
  }

  /** The event loop's clock, so that a test's embedded loop can move time forward. */
  private static long now(ChannelHandlerContext ctx) {
    return ctx.executor() instanceof AbstractScheduledEventExecutor loop
        ? loop.ticker().nanoTime()
        : System.nanoTime();
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
