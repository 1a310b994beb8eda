package io.rmb.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client side of {@link SessionHeap}, run as a separate process so that its heap is not
 * counted: opens idle WebSocket sessions for twins {@code 1..n} with Netty's WebSocket client
 * on one event loop (at most 256 handshakes in flight). Opens {@code first} sessions, prints
 * {@code READY <count>}, waits for a line on stdin, opens the rest, prints {@code READY <count>}
 * again and then holds them until stdin closes.
 *
 * <p>Usage: {@code SessionClients port first total}.
 */
public final class SessionClients {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int first = Integer.parseInt(args[1]);
    int total = Integer.parseInt(args[2]);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    AtomicInteger open = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Semaphore handshakes = new Semaphore(256);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (int twin = 1; twin <= total; twin++) {
      if (twin == first + 1) {
        handshakes.acquire(256);
        handshakes.release(256);
        System.out.println("READY " + open.get() + " failed " + failed.get());
        in.readLine();
      }
      handshakes.acquire();
      URI uri = URI.create("ws://127.0.0.1:" + port + "/?" + Fixtures.token(twin));
      WebSocketClientHandshaker hs = WebSocketClientHandshakerFactory.newHandshaker(uri,
          WebSocketVersion.V13, null, false, EmptyHttpHeaders.INSTANCE, 1 << 20);
      Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                  new SimpleChannelInboundHandler<Object>() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                      hs.handshake(ctx.channel());
                    }

                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                      if (!hs.isHandshakeComplete()) {
                        try {
                          hs.finishHandshake(ctx.channel(), (FullHttpResponse) msg);
                          open.incrementAndGet();
                        } catch (RuntimeException e) {
                          failed.incrementAndGet();
                          ctx.close();
                        }
                        handshakes.release();
                      } else if (msg instanceof PingWebSocketFrame) {
                        ctx.writeAndFlush(new PongWebSocketFrame(
                            ((WebSocketFrame) msg).content().retain()));
                      }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                      if (!hs.isHandshakeComplete()) {
                        failed.incrementAndGet();
                        handshakes.release();
                      }
                      ctx.close();
                    }
                  });
            }
          });
      b.connect("127.0.0.1", port).addListener(f -> {
        if (!f.isSuccess()) {
          failed.incrementAndGet();
          handshakes.release();
        }
      });
    }
    handshakes.acquire(256);
    handshakes.release(256);
    System.out.println("READY " + open.get() + " failed " + failed.get());
    while (in.readLine() != null) {
      // hold the sessions until the parent closes stdin
    }
    group.shutdownGracefully().syncUninterruptibly();
  }
}
