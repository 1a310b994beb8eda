package io.rmb.benchmarks.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.rmb.peer.token.RelayToken;
import io.rmb.proto.Envelope;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baseline for the relay benchmarks: a bare Netty WebSocket forwarder. It accepts the
 * upgrade with the relay JWT as the query string WITHOUT verifying it (only parses the twin id
 * out of it), registers the channel by twin, decodes each binary frame as an {@link Envelope}
 * (as the relay must, to find the destination) and writes the received bytes to the
 * destination twin's channel. No source check, no queue, no counters, no error envelopes.
 */
public final class BareForwarder implements AutoCloseable {
  private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoopGroup workers;
  private final Map<Long, Channel> byTwin = new ConcurrentHashMap<>();
  private final Channel server;

  public BareForwarder(int ioThreads) {
    workers = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
    ServerBootstrap b = new ServerBootstrap().group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                new Upgrade());
          }
        });
    server = b.bind("127.0.0.1", 0).syncUninterruptibly().channel();
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Upgrade extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      String uri = req.uri();
      int q = uri.indexOf('?');
      long twin = RelayToken.parse(uri.substring(q + 1)).twin(); // parsed, not verified
      WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(
          "ws://127.0.0.1/", null, false, 1 << 20).newHandshaker(req);
      Channel ch = ctx.channel();
      ctx.pipeline().replace(this, "ws", new Frames(hs, twin));
      hs.handshake(ch, req);
      byTwin.put(twin, ch);
      ch.closeFuture().addListener(f -> byTwin.remove(twin, ch));
    }
  }

  private final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final WebSocketServerHandshaker hs;
    private final long twin;

    Frames(WebSocketServerHandshaker hs, long twin) {
      this.hs = hs;
      this.twin = twin;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) throws Exception {
      if (frame instanceof BinaryWebSocketFrame) {
        Envelope env = Envelope.parseFrom(new ByteBufInputStream(frame.content().duplicate()));
        Channel dst = byTwin.get(Integer.toUnsignedLong(env.getDestination().getTwin()));
        if (dst != null) {
          dst.writeAndFlush(new BinaryWebSocketFrame(frame.content().retainedDuplicate()));
        }
      } else if (frame instanceof PingWebSocketFrame) {
        ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
      } else if (frame instanceof CloseWebSocketFrame) {
        hs.close(ctx.channel(), (CloseWebSocketFrame) frame.retain());
      }
    }
  }
}
