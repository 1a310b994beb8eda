package io.rmb.relay.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.relay.queue.InMemoryOfflineQueue;
import io.rmb.relay.queue.OfflineQueue;
import io.rmb.relay.queue.QueueLimits;
import io.rmb.relay.queue.QueueStats;
import io.rmb.relay.queue.QueuedEnvelope;
import io.rmb.relay.session.Session;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.session.SessionRegistry;
import io.rmb.relay.testing.MutableClock;
import io.rmb.relay.testing.RecordingSession;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class SwitchboardTest {
  private static final SessionKey BOB = SessionKey.of(2, "web");
  private static final byte[] ENVELOPE = {1, 2, 3};

  private final MutableClock clock = MutableClock.fixed();
  private final SessionRegistry registry = new SessionRegistry();
  private final InMemoryOfflineQueue queue = new InMemoryOfflineQueue(QueueLimits.DEFAULT, clock);
  private final Switchboard switchboard = new Switchboard(registry, queue);
  private final long deadline = clock.seconds() + 300;

  @Test
  void openSessionGetsTheEnvelope() {
    RecordingSession bob = new RecordingSession(BOB);
    switchboard.register(bob);

    assertThat(switchboard.send(BOB, ENVELOPE, deadline).toCompletableFuture().join())
        .isEqualTo(RouteOutcome.DELIVERED);
    assertThat(bob.delivered()).containsExactly(ENVELOPE);
  }

  @Test
  void withoutAnOpenSessionTheEnvelopeIsQueued() {
    assertThat(switchboard.send(BOB, ENVELOPE, deadline).toCompletableFuture().join())
        .isEqualTo(RouteOutcome.QUEUED);
    assertThat(queue.size(BOB)).isOne();
  }

  @Test
  void registeringClosesTheReplacedSessionAndDrainsTheNewOne() {
    RecordingSession old = new RecordingSession(BOB);
    RecordingSession newer = new RecordingSession(BOB);
    switchboard.register(old);

    assertThat(switchboard.register(newer)).containsSame(old);

    assertThat(old.closedFor()).isEqualTo(Session.CloseCause.REPLACED);
    assertThat(newer.drains()).isOne();
    assertThat(newer.closedFor()).isNull();
  }

  @Test
  void envelopeQueuedWhileTheSessionRegistersWakesIt() {
    // the sender saw no session and started to queue; the session connected and drained an
    // empty queue; only then did the queue take the envelope
    CompletableFuture<Void> stored = new CompletableFuture<>();
    Switchboard slow = new Switchboard(registry, new SlowOffer(queue, stored));
    CompletableFuture<RouteOutcome> sent =
        slow.send(BOB, ENVELOPE, deadline).toCompletableFuture();
    RecordingSession bob = new RecordingSession(BOB);
    slow.register(bob);
    assertThat(bob.drains()).isOne();

    stored.complete(null);

    assertThat(sent.join()).isEqualTo(RouteOutcome.QUEUED);
    assertThat(bob.drains()).as("woken again after the envelope landed").isEqualTo(2);
  }

  @Test
  void enqueueForAClosedSessionWakesNobody() {
    RecordingSession bob = new RecordingSession(BOB);
    switchboard.register(bob);
    bob.close(Session.CloseCause.SHUTDOWN);

    switchboard.enqueue(BOB, ENVELOPE, deadline).toCompletableFuture().join();

    assertThat(bob.drains()).isOne();
    assertThat(queue.size(BOB)).isOne();
  }

  /** Delegates to a queue but completes offers only when the test says so. */
  private record SlowOffer(OfflineQueue delegate, CompletableFuture<Void> gate)
      implements OfflineQueue {
    @Override
    public CompletionStage<Void> offer(SessionKey key, byte[] envelope, long deadline) {
      return gate.thenCompose(ignored -> delegate.offer(key, envelope, deadline));
    }

    @Override
    public CompletionStage<List<QueuedEnvelope>> peek(SessionKey key, int max) {
      return delegate.peek(key, max);
    }

    @Override
    public CompletionStage<Void> acknowledge(SessionKey key, List<QueuedEnvelope> delivered) {
      return delegate.acknowledge(key, delivered);
    }

    @Override
    public QueueStats stats() {
      return delegate.stats();
    }
  }
}
