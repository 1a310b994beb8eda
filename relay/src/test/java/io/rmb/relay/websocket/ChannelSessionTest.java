package io.rmb.relay.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.rmb.relay.queue.InMemoryOfflineQueue;
import io.rmb.relay.queue.QueueLimits;
import io.rmb.relay.routing.Switchboard;
import io.rmb.relay.session.Session;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.session.SessionRegistry;
import io.rmb.relay.stats.DropReason;
import io.rmb.relay.stats.RelayCounters;
import io.rmb.relay.testing.ControlledQueue;
import io.rmb.relay.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelSessionTest {
  private static final SessionKey BOB = SessionKey.of(2, "web");

  private final MutableClock clock = MutableClock.fixed();
  private final SessionRegistry registry = new SessionRegistry();
  private final InMemoryOfflineQueue memory = new InMemoryOfflineQueue(QueueLimits.DEFAULT, clock);
  private final ControlledQueue queue = new ControlledQueue(memory);
  private final Switchboard switchboard = new Switchboard(registry, queue);
  private final RelayCounters counters = new RelayCounters();
  private final long deadline = clock.seconds() + 300;

  private ChannelSession session(EmbeddedChannel channel, int bufferLimit) {
    return new ChannelSession(BOB, channel, switchboard, counters, clock, bufferLimit);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private void queued(String text) {
    memory.offer(BOB, bytes(text), deadline).toCompletableFuture().join();
  }

  /** Runs the channel's tasks until nothing is left, and returns the frames written. */
  private static List<String> written(EmbeddedChannel channel) {
    channel.runPendingTasks();
    List<String> frames = new ArrayList<>();
    for (Object out; (out = channel.readOutbound()) != null; ) {
      if (out instanceof BinaryWebSocketFrame frame) {
        frames.add(new String(ByteBufUtil.getBytes(frame.content()), StandardCharsets.UTF_8));
      } else {
        frames.add(out.getClass().getSimpleName());
      }
      ReferenceCountUtil.release(out);
    }
    return frames;
  }

  @Test
  void queuedEnvelopesGoOutBeforeLiveOnes() {
    queued("q1");
    queued("q2");
    EmbeddedChannel channel = new EmbeddedChannel();
    ChannelSession session = session(channel, 100);
    session.deliver(bytes("live1"), deadline); // before registration: waits for the drain

    switchboard.register(session);
    session.deliver(bytes("live2"), deadline);

    assertThat(written(channel)).containsExactly("q1", "q2", "live1", "live2");
    assertThat(memory.stats().depth()).isZero();
    assertThat(memory.stats().delivered()).isEqualTo(2);
    assertThat(counters.snapshot(1, memory.stats()).framesOut()).isEqualTo(4);
  }

  @Test
  void liveTrafficArrivingDuringASlowDrainWaitsForIt() {
    queued("q1");
    queue.holdPeeks();
    EmbeddedChannel channel = new EmbeddedChannel();
    ChannelSession session = session(channel, 100);
    switchboard.register(session);

    session.deliver(bytes("live"), deadline);
    assertThat(written(channel)).isEmpty();

    queue.releasePeek(); // [q1]
    assertThat(written(channel)).containsExactly("q1");
    queue.releasePeek(); // []
    assertThat(written(channel)).containsExactly("live");
  }

  @Test
  void drainRequestedWhileAPeekIsInFlightPeeksAgain() {
    queue.holdPeeks();
    EmbeddedChannel channel = new EmbeddedChannel();
    ChannelSession session = session(channel, 100);
    switchboard.register(session); // peek #1 sees an empty queue
    switchboard.enqueue(BOB, bytes("late"), deadline).toCompletableFuture().join();

    queue.releasePeek(); // #1: [] but a drain was requested meanwhile
    assertThat(queue.heldPeeks()).isOne();
    queue.releasePeek(); // #2: [late]
    queue.releasePeek(); // #3: []

    assertThat(written(channel)).containsExactly("late");
    assertThat(memory.stats().depth()).isZero();
  }

  @Test
  void envelopeExpiringBetweenPeekAndWriteIsDroppedAndCounted() {
    memory.offer(BOB, bytes("short"), clock.seconds() + 5).toCompletableFuture().join();
    queued("long");
    queue.holdPeeks();
    EmbeddedChannel channel = new EmbeddedChannel();
    switchboard.register(session(channel, 100));

    clock.advance(Duration.ofSeconds(5));
    queue.releasePeek();
    queue.releasePeek();

    assertThat(written(channel)).containsExactly("long");
    assertThat(counters.snapshot(1, memory.stats()).dropped(DropReason.EXPIRED)).isOne();
    assertThat(memory.stats().depth()).as("the expired one is acknowledged away").isZero();
  }

  @Test
  void liveEnvelopesWaitingForADrainAreCheckedForExpiryToo() {
    queue.holdPeeks();
    EmbeddedChannel channel = new EmbeddedChannel();
    ChannelSession session = session(channel, 100);
    switchboard.register(session);
    session.deliver(bytes("short"), clock.seconds() + 5);
    session.deliver(bytes("long"), deadline);

    clock.advance(Duration.ofSeconds(5));
    queue.releasePeek();

    assertThat(written(channel)).containsExactly("long");
    assertThat(counters.snapshot(1, memory.stats()).dropped(DropReason.EXPIRED)).isOne();
  }

  @Test
  void waitingLiveEnvelopesAreBoundedOldestFirst() {
    queue.holdPeeks();
    EmbeddedChannel channel = new EmbeddedChannel();
    ChannelSession session = session(channel, 2);
    switchboard.register(session);

    session.deliver(bytes("1"), deadline);
    session.deliver(bytes("2"), deadline);
    session.deliver(bytes("3"), deadline);
    queue.releasePeek();

    assertThat(written(channel)).containsExactly("2", "3");
    assertThat(counters.snapshot(1, memory.stats()).dropped(DropReason.QUEUE_FULL)).isOne();
  }

  @Test
  void replacedSessionSendsACloseFrameAndGivesWaitingEnvelopesBack() {
    queue.holdPeeks();
    EmbeddedChannel channel = new EmbeddedChannel();
    ChannelSession old = session(channel, 100);
    switchboard.register(old);
    old.deliver(bytes("a"), deadline);
    old.deliver(bytes("b"), deadline);

    old.close(Session.CloseCause.REPLACED);
    channel.runPendingTasks();

    CloseWebSocketFrame close = channel.readOutbound();
    assertThat(close.statusCode()).isEqualTo(1000);
    assertThat(close.reasonText()).isEqualTo("replaced by a newer connection");
    close.release();
    assertThat(channel.isOpen()).isFalse();
    assertThat(old.isOpen()).isFalse();
    assertThat(memory.size(BOB)).isEqualTo(2);
    queue.releasePeek(); // the old drain completes after the close: it writes nothing
    assertThat(written(channel)).isEmpty();
    assertThat(memory.size(BOB)).isEqualTo(2);
  }

  @Test
  void shutdownClosesWithGoingAway() {
    EmbeddedChannel channel = new EmbeddedChannel();
    ChannelSession session = session(channel, 100);

    session.close(Session.CloseCause.SHUTDOWN);

    CloseWebSocketFrame close = channel.readOutbound();
    assertThat(close.statusCode()).isEqualTo(1001);
    close.release();
  }

  @Test
  void envelopeForAClosedChannelGoesToTheQueue() {
    EmbeddedChannel channel = new EmbeddedChannel();
    ChannelSession session = session(channel, 100);
    switchboard.register(session);
    written(channel);
    channel.close();

    session.deliver(bytes("x"), deadline);

    assertThat(memory.size(BOB)).isOne();
  }

  @Test
  void failedLiveWriteGivesTheEnvelopeBack() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ReferenceCountUtil.release(msg);
        promise.setFailure(new IOException("broken pipe"));
      }
    });
    ChannelSession session = session(channel, 100);
    switchboard.register(session);
    channel.runPendingTasks();

    session.deliver(bytes("x"), deadline);
    channel.runPendingTasks();

    assertThat(memory.size(BOB)).isOne();
    assertThat(counters.snapshot(1, memory.stats()).framesOut()).isZero();
  }

  @Test
  void closedChannelUnregistersOnlyItsOwnSession() {
    EmbeddedChannel oldChannel = new EmbeddedChannel();
    EmbeddedChannel newChannel = new EmbeddedChannel();
    ChannelSession old = session(oldChannel, 100);
    ChannelSession newer = session(newChannel, 100);
    switchboard.register(old);
    switchboard.register(newer);

    // the old connection's close completes after the new one registered
    oldChannel.close();
    old.closed();
    oldChannel.runPendingTasks();

    assertThat(registry.get(BOB)).containsSame(newer);
    newChannel.close();
    newer.closed();
    assertThat(registry.get(BOB)).isEmpty();
  }
}
