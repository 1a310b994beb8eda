package io.rmb.relay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.relay.session.SessionKey;
import io.rmb.relay.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryOfflineQueueTest {
  private static final SessionKey BOB = SessionKey.of(2);
  private static final SessionKey BOB_WEB = SessionKey.of(2, "web");

  private final MutableClock clock = MutableClock.fixed();
  private final InMemoryOfflineQueue queue = new InMemoryOfflineQueue(
      QueueLimits.builder().maxPerSession(3).idleExpiry(Duration.ofHours(1)).build(), clock);

  private long in(long seconds) {
    return clock.seconds() + seconds;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> peek(SessionKey key) {
    return queue.peek(key, 100).toCompletableFuture().join().stream()
        .map(entry -> new String(entry.envelope(), StandardCharsets.UTF_8))
        .toList();
  }

  private void offer(SessionKey key, String text, long deadline) {
    queue.offer(key, bytes(text), deadline).toCompletableFuture().join();
  }

  @Test
  void keepsOfferOrderPerSession() {
    offer(BOB, "1", in(300));
    offer(BOB_WEB, "web", in(300));
    offer(BOB, "2", in(300));

    assertThat(peek(BOB)).containsExactly("1", "2");
    assertThat(peek(BOB_WEB)).containsExactly("web");
    assertThat(queue.stats().depth()).isEqualTo(3);
    assertThat(queue.stats().sessions()).isEqualTo(2);
  }

  @Test
  void peekDoesNotRemoveAcknowledgeDoes() {
    offer(BOB, "1", in(300));
    offer(BOB, "2", in(300));
    offer(BOB, "3", in(300));
    List<QueuedEnvelope> first = queue.peek(BOB, 2).toCompletableFuture().join();

    assertThat(peek(BOB)).containsExactly("1", "2", "3");
    queue.acknowledge(BOB, first).toCompletableFuture().join();

    assertThat(peek(BOB)).containsExactly("3");
    assertThat(queue.stats().delivered()).isEqualTo(2);
    assertThat(queue.stats().depth()).isEqualTo(1);
  }

  @Test
  void acknowledgingEverythingForgetsTheSession() {
    offer(BOB, "1", in(300));
    queue.acknowledge(BOB, queue.peek(BOB, 10).toCompletableFuture().join());

    assertThat(queue.stats().sessions()).isZero();
    assertThat(queue.stats().depth()).isZero();
  }

  @Test
  void offersAfterAPeekAreNotAcknowledgedWithIt() {
    offer(BOB, "1", in(300));
    List<QueuedEnvelope> batch = queue.peek(BOB, 10).toCompletableFuture().join();
    offer(BOB, "2", in(300));

    queue.acknowledge(BOB, batch);

    assertThat(peek(BOB)).containsExactly("2");
  }

  @Test
  void fullQueueDropsItsOldest() {
    for (int i = 1; i <= 5; i++) {
      offer(BOB, Integer.toString(i), in(300));
    }

    assertThat(peek(BOB)).containsExactly("3", "4", "5");
    assertThat(queue.stats().droppedFull()).isEqualTo(2);
    assertThat(queue.stats().depth()).isEqualTo(3);
    assertThat(queue.stats().offered()).isEqualTo(5);
  }

  @Test
  void acknowledgingEntriesTrimmedMeanwhileRemovesOnlyWhatWasWritten() {
    offer(BOB, "1", in(300));
    offer(BOB, "2", in(300));
    List<QueuedEnvelope> batch = queue.peek(BOB, 10).toCompletableFuture().join();
    offer(BOB, "3", in(300));
    offer(BOB, "4", in(300)); // trims "1"

    queue.acknowledge(BOB, batch);

    assertThat(peek(BOB)).containsExactly("3", "4");
  }

  @Test
  void neverReturnsAnEnvelopePastItsDeadline() {
    offer(BOB, "short", in(5));
    offer(BOB, "long", in(300));
    offer(BOB, "short-too", in(6));

    clock.advance(Duration.ofSeconds(6));

    assertThat(peek(BOB)).containsExactly("long");
    assertThat(queue.stats().droppedExpired()).isEqualTo(2);
    assertThat(queue.stats().depth()).isEqualTo(1);
  }

  @Test
  void deadlineIsExclusive() {
    offer(BOB, "1", in(5));

    clock.advance(Duration.ofSeconds(4));
    assertThat(peek(BOB)).containsExactly("1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(peek(BOB)).isEmpty();
  }

  @Test
  void deadOnArrivalIsDroppedNotStored() {
    offer(BOB, "late", in(0));

    assertThat(peek(BOB)).isEmpty();
    assertThat(queue.stats().droppedExpired()).isOne();
    assertThat(queue.stats().offered()).isZero();
    assertThat(queue.stats().sessions()).isZero();
  }

  @Test
  void idleQueueIsDroppedAnHourAfterItsLastWrite() {
    offer(BOB, "1", in(7200));
    clock.advance(Duration.ofMinutes(30));
    offer(BOB, "2", in(7200));
    offer(BOB_WEB, "web", in(7200));

    clock.advance(Duration.ofMinutes(59));
    queue.evictIdle();
    assertThat(peek(BOB)).containsExactly("1", "2");

    clock.advance(Duration.ofMinutes(1));
    queue.evictIdle();

    assertThat(peek(BOB)).isEmpty();
    assertThat(peek(BOB_WEB)).isEmpty();
    assertThat(queue.stats().droppedIdle()).isEqualTo(3);
    assertThat(queue.stats().depth()).isZero();
    assertThat(queue.stats().sessions()).isZero();
  }

  @Test
  void idleQueueIsDroppedOnAccessEvenWithoutASweep() {
    offer(BOB, "old", in(7200));
    clock.advance(Duration.ofHours(1));

    offer(BOB, "new", in(7200));

    assertThat(peek(BOB)).containsExactly("new");
    assertThat(queue.stats().droppedIdle()).isOne();
  }

  @Test
  void peekingDoesNotCountAsAWrite() {
    offer(BOB, "1", in(7200));
    clock.advance(Duration.ofMinutes(59));
    assertThat(peek(BOB)).containsExactly("1");

    clock.advance(Duration.ofMinutes(1));

    assertThat(peek(BOB)).isEmpty();
  }

  @Test
  void peekHonoursItsMaximum() {
    offer(BOB, "1", in(300));
    offer(BOB, "2", in(300));
    offer(BOB, "3", in(300));

    assertThat(queue.peek(BOB, 2).toCompletableFuture().join())
        .extracting(entry -> new String(entry.envelope(), StandardCharsets.UTF_8))
        .containsExactly("1", "2");
  }

  @Test
  void defaultsAreRmbRss() {
    assertThat(QueueLimits.DEFAULT.maxPerSession()).isEqualTo(10_000);
    assertThat(QueueLimits.DEFAULT.idleExpiry()).isEqualTo(Duration.ofHours(1));
  }
}
