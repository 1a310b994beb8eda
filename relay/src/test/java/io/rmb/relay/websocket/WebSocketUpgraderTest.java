package io.rmb.relay.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.util.ReferenceCountUtil;
import io.rmb.peer.token.RelayToken;
import io.rmb.proto.Envelope;
import io.rmb.relay.http.HttpDispatchHandler;
import io.rmb.relay.http.HttpRoutes;
import io.rmb.relay.queue.InMemoryOfflineQueue;
import io.rmb.relay.queue.QueueLimits;
import io.rmb.relay.routing.Router;
import io.rmb.relay.routing.Switchboard;
import io.rmb.relay.routing.UnsupportedFederator;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.session.SessionRegistry;
import io.rmb.relay.stats.RelayCounters;
import io.rmb.relay.testing.MutableClock;
import io.rmb.relay.testing.TestEnvelopes;
import io.rmb.relay.testing.TestTwins;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketUpgraderTest {
  private static final SessionKey ALICE = SessionKey.of(TestTwins.ALICE, "web");

  private final MutableClock clock = MutableClock.fixed();
  private final SessionRegistry registry = new SessionRegistry();
  private final Switchboard switchboard = new Switchboard(registry,
      new InMemoryOfflineQueue(QueueLimits.DEFAULT, clock));
  private final RelayCounters counters = new RelayCounters();
  private final WebSocketUpgrader upgrader = new WebSocketUpgrader(
      new TokenAuthenticator(TestTwins.directory(), clock, null),
      new Router(TestTwins.domains(), TestTwins.directory(), switchboard,
          UnsupportedFederator.INSTANCE),
      switchboard, counters, clock, 1 << 20, 100);
  private final EmbeddedChannel server = new EmbeddedChannel(new HttpServerCodec(),
      new HttpObjectAggregator(1 << 20),
      new HttpDispatchHandler(HttpRoutes.placeholders(), upgrader));

  private static String upgradeRequest(String target) {
    return "GET " + target + " HTTP/1.1\r\n"
        + "Host: relay.local\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n";
  }

  private String exchange(String request) {
    server.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
    server.runPendingTasks();
    return readAll().toString(StandardCharsets.UTF_8);
  }

  private ByteBuf readAll() {
    CompositeByteBuf all = Unpooled.compositeBuffer();
    for (Object out; (out = server.readOutbound()) != null; ) {
      all.addComponent(true, (ByteBuf) out);
    }
    return all;
  }

  private String token(long twin, String sid) {
    return RelayToken.create(TestTwins.identity(twin).signer(), twin, sid, clock,
        Duration.ofSeconds(60)).text();
  }

  @Test
  void validTokenUpgradesAndRegistersTheSession() {
    String response = exchange(upgradeRequest("/any/path?" + token(TestTwins.ALICE, "web")));

    assertThat(response).startsWith("HTTP/1.1 101 Switching Protocols")
        // RFC 6455's example key and accept value
        .contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    assertThat(registry.get(ALICE)).isPresent();
    assertThat(server.pipeline().get(WebSocketSessionHandler.class)).isNotNull();
    assertThat(server.pipeline().get(HttpDispatchHandler.class)).isNull();
    assertThat(server.config().isAutoRead()).isTrue();
    assertThat(counters.snapshot(1, switchboard.queue().stats()).sessionsOpened()).isOne();
  }

  @Test
  void maskedClientFramesReachTheSessionAndFramesComeBackUnmasked() {
    exchange(upgradeRequest("/?" + token(TestTwins.ALICE, "web")));
    Envelope.Builder ping = TestEnvelopes.ping(ALICE, ALICE, "", clock);

    // encode as a client would (masked), feed the bytes to the relay
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
    client.writeOutbound(new BinaryWebSocketFrame(
        Unpooled.wrappedBuffer(TestEnvelopes.signed(ping))));
    server.writeInbound((ByteBuf) client.readOutbound());
    server.runPendingTasks();

    // decode what the relay wrote as a client would (unmasked frames expected)
    EmbeddedChannel decoder = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false,
        1 << 20));
    decoder.writeInbound(readAll());
    BinaryWebSocketFrame frame = decoder.readInbound();
    Envelope pong = io.rmb.peer.envelope.Envelopes.decode(ByteBufUtil.getBytes(frame.content()));
    ReferenceCountUtil.release(frame);
    assertThat(pong.hasPong()).isTrue();
    assertThat(pong.getUid()).isEqualTo(ping.getUid());
  }

  @Test
  void sessionIsRegisteredBeforeThe101LeavesAndItsFramesFollowThe101() {
    // a slow socket: nothing written completes until the test lets it
    List<Object[]> held = new ArrayList<>();
    server.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        held.add(new Object[] {ctx, msg, promise});
      }
    });
    byte[] queued = TestEnvelopes.signed(TestEnvelopes.request(SessionKey.of(TestTwins.BOB),
        ALICE, clock));
    switchboard.queue().offer(ALICE, queued, clock.seconds() + 300);

    server.writeInbound(Unpooled.copiedBuffer(
        upgradeRequest("/?" + token(TestTwins.ALICE, "web")), StandardCharsets.US_ASCII));
    server.runPendingTasks();

    assertThat(registry.get(ALICE)).as("registered while the 101 is still on its way")
        .isPresent();
    for (Object[] write : held) {
      ((ChannelHandlerContext) write[0]).write(write[1], (ChannelPromise) write[2]);
    }
    server.flushOutbound();
    server.runPendingTasks();
    String http = readAll().toString(StandardCharsets.ISO_8859_1);
    int end = http.indexOf("\r\n\r\n") + 4;
    assertThat(http).startsWith("HTTP/1.1 101");
    EmbeddedChannel decoder = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false,
        1 << 20));
    decoder.writeInbound(Unpooled.wrappedBuffer(
        http.substring(end).getBytes(StandardCharsets.ISO_8859_1)));
    BinaryWebSocketFrame frame = decoder.readInbound();
    assertThat(ByteBufUtil.getBytes(frame.content())).isEqualTo(queued);
    frame.release();
  }

  @Test
  void missingTokenIs400AndCloses() {
    String response = exchange(upgradeRequest("/"));

    assertThat(response).startsWith("HTTP/1.1 400 Bad Request").endsWith("missing jwt");
    assertThat(server.isOpen()).isFalse();
    assertThat(registry.size()).isZero();
    assertThat(counters.snapshot(0, switchboard.queue().stats()).upgradesRejected()).isOne();
  }

  @Test
  void unknownTwinIs401AndCloses() {
    String forged = RelayToken.create(TestTwins.identity(TestTwins.ALICE).signer(),
        TestTwins.UNKNOWN, null, clock, Duration.ofSeconds(60)).text();

    String response = exchange(upgradeRequest("/?" + forged));

    assertThat(response).startsWith("HTTP/1.1 401 Unauthorized")
        .endsWith("twin not found " + TestTwins.UNKNOWN);
    assertThat(server.isOpen()).isFalse();
  }

  @Test
  void badHandshakeIs400() {
    String response = exchange("GET /?" + token(TestTwins.ALICE, null) + " HTTP/1.1\r\n"
        + "Host: relay.local\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 400");
    assertThat(registry.size()).isZero();
  }

  @Test
  void queryIsTheWholeToken() {
    assertThat(WebSocketUpgrader.query("/a/b?x.y.z")).isEqualTo("x.y.z");
    assertThat(WebSocketUpgrader.query("/?")).isEmpty();
    assertThat(WebSocketUpgrader.query("/")).isNull();
  }
}
