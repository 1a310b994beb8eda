package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rmb.peer.envelope.Envelopes;
import io.rmb.proto.Envelope;
import io.rmb.relay.routing.RouteFailure;
import io.rmb.relay.routing.RouteOutcome;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.stats.DropReason;
import io.rmb.relay.testing.MutableClock;
import io.rmb.relay.testing.TestEnvelopes;
import io.rmb.relay.testing.TestPeer;
import io.rmb.relay.testing.TestTwins;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Envelopes for twins of this relay that are not connected: queued, delivered in order on
 * connect, never after their deadline; {@code fail-fast} refuses instead. The relay runs on a
 * clock the tests move forward.
 */
@Tag("integration")
class OfflineDeliveryIT {
  @TempDir
  static Path dir;

  private static final MutableClock CLOCK = MutableClock.system();
  private static RelayServer relay;

  private final List<TestPeer> peers = new ArrayList<>();
  private String sid;

  @BeforeAll
  static void start() {
    relay = RelayServer.start(RelayOptions.builder()
        .listen("127.0.0.1:0")
        .domain(TestTwins.DOMAIN)
        .twinsFile(TestTwins.writeFile(dir))
        .clock(CLOCK)
        .build());
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @BeforeEach
  void name(TestInfo info) {
    sid = info.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void disconnect() {
    peers.stream().filter(TestPeer::isOpen).forEach(TestPeer::disconnect);
  }

  private TestPeer connect(long twin) {
    TestPeer peer = TestPeer.connect(relay.port(), SessionKey.of(twin, sid), CLOCK);
    peers.add(peer);
    return peer;
  }

  /** Sends and waits until the relay has queued it (so the test knows the order of events). */
  private static void sendAndAwaitQueued(TestPeer from, byte[] bytes) {
    long queued = relay.stats().routed(RouteOutcome.QUEUED);
    from.sendBytes(bytes);
    await().atMost(TestPeer.PATIENCE)
        .until(() -> relay.stats().routed(RouteOutcome.QUEUED) > queued);
  }

  @Test
  void queuedEnvelopesAreDeliveredInOrderWhenTheTwinConnects() {
    TestPeer alice = connect(TestTwins.ALICE);
    SessionKey bob = SessionKey.of(TestTwins.BOB, sid);
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] bytes = TestEnvelopes.signed(TestEnvelopes.request(alice.key(), bob, CLOCK));
      sent.add(bytes);
      sendAndAwaitQueued(alice, bytes);
    }

    TestPeer bobPeer = connect(TestTwins.BOB);

    for (byte[] bytes : sent) {
      assertThat(bobPeer.awaitBytes()).isEqualTo(bytes);
    }
    assertThat(bobPeer.drainUntilSync()).isEmpty();
  }

  @Test
  void envelopeWhoseDeadlinePassesInTheQueueIsNeverDelivered() {
    TestPeer alice = connect(TestTwins.ALICE);
    SessionKey bob = SessionKey.of(TestTwins.BOB, sid);
    byte[] shortLived = TestEnvelopes.signed(
        TestEnvelopes.request(alice.key(), bob, CLOCK).setExpiration(5));
    sendAndAwaitQueued(alice, shortLived);
    long expiredBefore = relay.stats().dropped(DropReason.EXPIRED);

    CLOCK.advance(Duration.ofSeconds(10));
    TestPeer bobPeer = connect(TestTwins.BOB);
    byte[] fresh = TestEnvelopes.signed(TestEnvelopes.request(alice.key(), bob, CLOCK));
    alice.sendBytes(fresh);

    // a queued envelope is written before any live one, so the first frame decides
    assertThat(bobPeer.awaitBytes()).isEqualTo(fresh);
    assertThat(relay.stats().dropped(DropReason.EXPIRED)).isEqualTo(expiredBefore + 1);
    assertThat(bobPeer.drainUntilSync()).isEmpty();
  }

  @Test
  void failFastToAnOfflineTwinIsRefusedInsteadOfQueued() {
    TestPeer alice = connect(TestTwins.ALICE);
    byte[] bytes = TestEnvelopes.signed(TestEnvelopes
        .request(alice.key(), SessionKey.of(TestTwins.BOB, sid), CLOCK)
        .setTags("rmb.priority,  fail-fast"));
    long depth = relay.stats().queueDepth();

    alice.sendBytes(bytes);

    Envelope error = alice.awaitEnvelope();
    assertThat(error.getUid()).isEqualTo(Envelopes.decode(bytes).getUid());
    assertThat(Envelopes.isRelayError(error)).isTrue();
    assertThat(error.getError().getMessage())
        .isEqualTo(RouteFailure.DESTINATION_OFFLINE.message());
    assertThat(relay.stats().queueDepth()).isEqualTo(depth);
  }

  @Test
  void failFastToAConnectedTwinIsDelivered() {
    TestPeer alice = connect(TestTwins.ALICE);
    TestPeer bob = connect(TestTwins.BOB);
    byte[] bytes = TestEnvelopes.signed(
        TestEnvelopes.request(alice.key(), bob.key(), CLOCK).setTags("fail-fast"));

    alice.sendBytes(bytes);

    assertThat(bob.awaitBytes()).isEqualTo(bytes);
  }

  @Test
  void twinSharingOneOfOurDomainsIsQueuedForToo() {
    TestPeer alice = connect(TestTwins.ALICE);
    byte[] bytes = TestEnvelopes.signed(
        TestEnvelopes.request(alice.key(), SessionKey.of(TestTwins.CHARLIE, sid), CLOCK));
    sendAndAwaitQueued(alice, bytes);

    TestPeer charlie = connect(TestTwins.CHARLIE);

    assertThat(charlie.awaitBytes()).isEqualTo(bytes);
    assertThat(alice.drainUntilSync()).as("no error for the sender").isEmpty();
  }

  @Test
  void twinThatReconnectsGetsWhatWasQueuedWhileItWasAway() {
    TestPeer alice = connect(TestTwins.ALICE);
    TestPeer bob = connect(TestTwins.BOB);
    alice.disconnect();
    // the relay must have seen the close before the next envelope, or it is delivered live
    await().atMost(TestPeer.PATIENCE).until(() -> relay.stats().sessionsOpen() == 1);
    byte[] forAlice = TestEnvelopes.signed(TestEnvelopes.request(bob.key(), alice.key(), CLOCK));
    sendAndAwaitQueued(bob, forAlice);

    TestPeer again = connect(TestTwins.ALICE);

    assertThat(again.awaitBytes()).isEqualTo(forAlice);
  }
}
