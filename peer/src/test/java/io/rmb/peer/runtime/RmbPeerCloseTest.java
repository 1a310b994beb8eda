package io.rmb.peer.runtime;

import static io.rmb.peer.runtime.PeerFixture.C;
import static io.rmb.peer.runtime.PeerFixture.ID_C;
import static io.rmb.peer.runtime.PeerFixture.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rmb.peer.transport.RelaySendException;
import io.rmb.proto.Envelope;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link RmbPeer#close()} lets handler replies in flight go out before the relays close. */
class RmbPeerCloseTest {
  @Test
  void closeWaitsForHandlerRepliesInFlight() throws Exception {
    try (PeerFixture f = new PeerFixture()) {
      f.transport.behaviour = frame -> f.transport.closed
          ? CompletableFuture.failedFuture(new RelaySendException.Closed("closed"))
          : CompletableFuture.completedFuture(FakeTransport.RELAY);
      CompletableFuture<Reply> slow = new CompletableFuture<>();
      f.peer.handle("slow", req -> slow).start();
      f.transport.deliver(signed(f.request(C, "u-1", "slow", "x"), ID_C));

      Thread closer = new Thread(f.peer::close, "closer");
      closer.start();
      // while draining, new requests are refused with an error instead of being started
      await().atMost(Duration.ofSeconds(5)).until(() -> {
        f.transport.deliver(signed(f.request(C, "u-" + System.nanoTime(), "slow", "x"), ID_C));
        return !f.transport.sent.isEmpty();
      });
      assertThat(closer.isAlive()).as("close() is still draining").isTrue();
      assertThat(f.transport.closed).isFalse();

      slow.complete(Reply.of("late but delivered"));
      closer.join(5_000);

      assertThat(closer.isAlive()).isFalse();
      assertThat(f.transport.closed).isTrue();
      assertThat(f.transport.envelopes()).filteredOn(Envelope::hasResponse)
          .extracting(e -> e.getPlain().toStringUtf8())
          .containsExactly("late but delivered");
      assertThat(f.transport.envelopes()).filteredOn(Envelope::hasError)
          .extracting(e -> e.getError().getMessage()).contains("peer is shutting down");
    }
  }

  @Test
  void closeWaitsForADeferredReplyOnItsWayOut() throws Exception {
    try (PeerFixture f = new PeerFixture()) {
      CompletableFuture<Void> relayTakesIt = new CompletableFuture<>();
      f.transport.behaviour = frame -> relayTakesIt.thenApply(x -> FakeTransport.RELAY);
      f.peer.start();
      CompletableFuture<Void> sent = f.peer.reply("u-9", C, java.util.Optional.empty(),
          Reply.of("later"));

      Thread closer = new Thread(f.peer::close, "closer");
      closer.start();
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
          .until(closer::isAlive);
      assertThat(f.transport.closed).as("still draining the deferred reply").isFalse();

      relayTakesIt.complete(null);
      closer.join(5_000);
      assertThat(closer.isAlive()).isFalse();
      assertThat(sent).isCompleted();
      assertThat(f.transport.closed).isTrue();
    }
  }

  @Test
  void closeGivesUpDrainingAfterTheTimeout() {
    try (PeerFixture f = new PeerFixture(b -> b.drainTimeout(Duration.ofMillis(100)))) {
      f.peer.handle("never", req -> new CompletableFuture<>()).start();
      f.transport.deliver(signed(f.request(C, "u-1", "never", "x"), ID_C));
      long start = System.nanoTime();
      f.peer.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(f.transport.closed).isTrue();
    }
  }
}
