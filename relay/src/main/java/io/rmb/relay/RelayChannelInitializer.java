package io.rmb.relay;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.rmb.relay.http.HttpDispatchHandler;
import io.rmb.relay.http.HttpRoute;
import io.rmb.relay.stats.RelayCounters;
import io.rmb.relay.websocket.WebSocketUpgrader;
import java.util.List;

/**
 * The pipeline of an accepted connection: connection counting, HTTP/1.1 codec, aggregator
 * (bodies up to the maximum size) and the dispatcher, which replaces itself with the WebSocket
 * handlers on an upgrade.
 */
final class RelayChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final ChannelGroup channels;
  private final RelayCounters counters;
  private final List<HttpRoute> routes;
  private final WebSocketUpgrader upgrader;
  private final int maxBodySize;
  private final ConnectionTracker tracker = new ConnectionTracker();

  RelayChannelInitializer(ChannelGroup channels, RelayCounters counters, List<HttpRoute> routes,
      WebSocketUpgrader upgrader, int maxBodySize) {
    this.channels = channels;
    this.counters = counters;
    this.routes = routes;
    this.upgrader = upgrader;
    this.maxBodySize = maxBodySize;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    channel.pipeline()
        .addLast("rmb-connections", tracker)
        .addLast("http-codec", new HttpServerCodec())
        .addLast("http-aggregator", new HttpObjectAggregator(maxBodySize))
        .addLast("rmb-dispatch", new HttpDispatchHandler(routes, upgrader));
  }

  /** Counts connections and keeps them in the group that {@link RelayServer#close()} closes. */
  @ChannelHandler.Sharable
  private final class ConnectionTracker extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      counters.connectionOpened();
      channels.add(ctx.channel());
      super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      // after the handlers behind us (session unregister) have seen it, so that a connection
      // counted as gone is also gone everywhere else
      super.channelInactive(ctx);
      counters.connectionClosed();
    }
  }
}
