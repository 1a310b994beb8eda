package io.rmb.relay.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.proto.Envelope;
import io.rmb.relay.queue.InMemoryOfflineQueue;
import io.rmb.relay.queue.QueueLimits;
import io.rmb.relay.routing.RelayErrors;
import io.rmb.relay.routing.RouteFailure;
import io.rmb.relay.routing.RouteOutcome;
import io.rmb.relay.routing.Router;
import io.rmb.relay.routing.Switchboard;
import io.rmb.relay.routing.UnsupportedFederator;
import io.rmb.relay.session.Session;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.session.SessionRegistry;
import io.rmb.relay.stats.DropReason;
import io.rmb.relay.stats.RelayCounters;
import io.rmb.relay.stats.RelayStats;
import io.rmb.relay.testing.MutableClock;
import io.rmb.relay.testing.TestEnvelopes;
import io.rmb.relay.testing.TestTwins;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class WebSocketSessionHandlerTest {
  private static final SessionKey ALICE = SessionKey.of(TestTwins.ALICE, "web");
  private static final SessionKey BOB = SessionKey.of(TestTwins.BOB);

  private final MutableClock clock = MutableClock.fixed();
  private final SessionRegistry registry = new SessionRegistry();
  private final InMemoryOfflineQueue queue = new InMemoryOfflineQueue(QueueLimits.DEFAULT, clock);
  private final Switchboard switchboard = new Switchboard(registry, queue);
  private final RelayCounters counters = new RelayCounters();
  /** Lookups the test completes by hand; any twin not listed answers at once. */
  private final Map<Long, CompletableFuture<Optional<Twin>>> pendingLookups =
      new ConcurrentHashMap<>();
  private final TwinDirectory twins = id -> pendingLookups.getOrDefault(id,
      TestTwins.directory().get(id));
  private final Router router =
      new Router(TestTwins.domains(), twins, switchboard, UnsupportedFederator.INSTANCE);

  private EmbeddedChannel connect(SessionKey key) {
    EmbeddedChannel channel = new EmbeddedChannel();
    ChannelSession session = new ChannelSession(key, channel, switchboard, counters, clock, 100);
    channel.pipeline().addLast(
        new WebSocketSessionHandler(session, router, switchboard, counters, clock));
    switchboard.register(session);
    channel.runPendingTasks();
    return channel;
  }

  private static void send(EmbeddedChannel channel, byte[] bytes) {
    channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    channel.runPendingTasks();
  }

  private static List<Object> outbound(EmbeddedChannel channel) {
    channel.runPendingTasks();
    List<Object> out = new ArrayList<>();
    for (Object next; (next = channel.readOutbound()) != null; ) {
      out.add(next);
    }
    return out;
  }

  private static List<byte[]> frames(EmbeddedChannel channel) {
    List<byte[]> frames = new ArrayList<>();
    for (Object next : outbound(channel)) {
      assertThat(next).isInstanceOf(BinaryWebSocketFrame.class);
      frames.add(ByteBufUtil.getBytes(((BinaryWebSocketFrame) next).content()));
      ReferenceCountUtil.release(next);
    }
    return frames;
  }

  private RelayStats stats() {
    return counters.snapshot(registry.size(), queue.stats());
  }

  @Test
  void binaryFrameIsForwardedUnchanged() {
    EmbeddedChannel alice = connect(ALICE);
    EmbeddedChannel bob = connect(BOB);
    byte[] bytes = TestEnvelopes.signed(TestEnvelopes.request(ALICE, BOB, clock));

    send(alice, bytes);

    assertThat(frames(bob)).containsExactly(bytes);
    assertThat(frames(alice)).isEmpty();
    assertThat(stats().framesIn()).isOne();
    assertThat(stats().bytesIn()).isEqualTo(bytes.length);
    assertThat(stats().routed(RouteOutcome.DELIVERED)).isOne();
  }

  @Test
  void textFrameClosesTheConnection() {
    EmbeddedChannel alice = connect(ALICE);

    alice.writeInbound(new TextWebSocketFrame("{}"));

    CloseWebSocketFrame close = (CloseWebSocketFrame) outbound(alice).get(0);
    assertThat(close.statusCode()).isEqualTo(1003);
    close.release();
    assertThat(alice.isOpen()).isFalse();
    assertThat(registry.get(ALICE)).isEmpty();
    assertThat(stats().protocolCloses()).isOne();
  }

  @Test
  void undecodableFrameClosesTheConnection() {
    EmbeddedChannel alice = connect(ALICE);

    send(alice, new byte[] {(byte) 0xff, 0x00, 0x13});

    CloseWebSocketFrame close = (CloseWebSocketFrame) outbound(alice).get(0);
    assertThat(close.statusCode()).isEqualTo(1007);
    close.release();
    assertThat(alice.isOpen()).isFalse();
  }

  @Test
  void wrongSourceGetsARelayErrorByteForByte() {
    EmbeddedChannel alice = connect(ALICE);
    Envelope lie = Envelopes.decode(TestEnvelopes.signed(
        TestEnvelopes.request(SessionKey.of(TestTwins.BOB), BOB, clock)));

    send(alice, lie.toByteArray());

    byte[] expected = RelayErrors.errorFor(lie, "message wrong source", ALICE, clock)
        .toByteArray();
    assertThat(frames(alice)).containsExactly(expected);
    assertThat(alice.isOpen()).isTrue();
    assertThat(stats().refused(RouteFailure.WRONG_SOURCE)).isOne();
    assertThat(stats().errorsSent()).isOne();
  }

  @Test
  void refusedResponseIsOnlyCounted() {
    EmbeddedChannel alice = connect(ALICE);

    send(alice, TestEnvelopes.signed(
        TestEnvelopes.response(ALICE, SessionKey.of(TestTwins.UNKNOWN), clock)));

    assertThat(frames(alice)).isEmpty();
    assertThat(stats().refused(RouteFailure.UNKNOWN_TWIN)).isOne();
    assertThat(stats().dropped(DropReason.UNANSWERED)).isOne();
    assertThat(stats().errorsSent()).isZero();
  }

  @Test
  void webSocketPingIsAnsweredWithPong() {
    EmbeddedChannel alice = connect(ALICE);

    alice.writeInbound(new PingWebSocketFrame(
        Unpooled.copiedBuffer("beat", StandardCharsets.UTF_8)));

    PongWebSocketFrame pong = (PongWebSocketFrame) outbound(alice).get(0);
    assertThat(pong.content().toString(StandardCharsets.UTF_8)).isEqualTo("beat");
    pong.release();
  }

  @Test
  void closeFrameIsEchoedAndUnregisters() {
    EmbeddedChannel alice = connect(ALICE);

    alice.writeInbound(new CloseWebSocketFrame(1000, "bye"));

    CloseWebSocketFrame echo = (CloseWebSocketFrame) outbound(alice).get(0);
    assertThat(echo.statusCode()).isEqualTo(1000);
    echo.release();
    assertThat(alice.isOpen()).isFalse();
    assertThat(registry.get(ALICE)).isEmpty();
  }

  @Test
  void framesAreRoutedOneAtATimeInOrder() {
    // frame 1 waits for Bob's lookup; Bob connects; frame 2 would find him at once. Routed
    // concurrently, frame 2 would overtake frame 1.
    CompletableFuture<Optional<Twin>> lookup = new CompletableFuture<>();
    pendingLookups.put(TestTwins.BOB, lookup);
    EmbeddedChannel alice = connect(ALICE);
    byte[] first = TestEnvelopes.signed(TestEnvelopes.request(ALICE, BOB, clock));
    byte[] second = TestEnvelopes.signed(TestEnvelopes.request(ALICE, BOB, clock));

    send(alice, first);
    assertThat(alice.config().isAutoRead()).as("stops reading while routing waits").isFalse();
    EmbeddedChannel bob = connect(BOB);
    send(alice, second);
    assertThat(frames(bob)).isEmpty();

    lookup.complete(Optional.of(TestTwins.twin(TestTwins.BOB)));
    alice.runPendingTasks();

    assertThat(frames(bob)).containsExactly(first, second);
    assertThat(alice.config().isAutoRead()).isTrue();
  }

  @Test
  void framesOfAReplacedConnectionAreIgnored() {
    EmbeddedChannel alice = connect(ALICE);
    // a slow socket: the close frame is not written yet, so the connection is still open
    alice.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
      @Override
      public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg,
          io.netty.channel.ChannelPromise promise) {
        ReferenceCountUtil.release(msg);
      }
    });
    EmbeddedChannel bob = connect(BOB);
    registry.get(ALICE).orElseThrow().close(Session.CloseCause.REPLACED);
    alice.runPendingTasks();
    assertThat(alice.isOpen()).isTrue();

    send(alice, TestEnvelopes.signed(TestEnvelopes.request(ALICE, BOB, clock)));

    assertThat(frames(bob)).isEmpty();
    assertThat(stats().framesIn()).isOne();
  }
}
