package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rmb.peer.runtime.DropReason;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RequestHandler;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.token.RelayToken;
import io.rmb.peer.twin.CachingTwinDirectory;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.proto.Envelope;
import io.rmb.relay.routing.RouteOutcome;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.testing.MutableClock;
import io.rmb.relay.testing.RawHttp;
import io.rmb.relay.testing.TestEnvelopes;
import io.rmb.relay.testing.TestPeer;
import io.rmb.relay.testing.TestTwins;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays on loopback: envelopes and tokens captured off a real connection and sent again while
 * (or after) they are valid. Relays drop what they already routed; peers drop what they
 * already handled, which covers the relays that cannot tell (another relay, a restart).
 */
@Tag("integration")
class ReplayIT {
  private static final SessionKey ALICE = SessionKey.of(TestTwins.ALICE, null);
  private static final SessionKey BOB = SessionKey.of(TestTwins.BOB, null);

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<String> handled = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private RelayServer relay(MutableClock clock, RelayOptions.Builder options) {
    RelayServer relay = RelayServer.start(options.listen("127.0.0.1:0").domain(TestTwins.DOMAIN)
        .twinsFile(TestTwins.writeFile(dir)).clock(clock).build());
    open.add(relay);
    return relay;
  }

  private RelayServer relay() {
    return relay(MutableClock.system(), RelayOptions.builder());
  }

  private TestPeer connect(RelayServer relay, SessionKey key) {
    TestPeer peer = TestPeer.connect(relay.port(), key, MutableClock.system());
    open.add(peer::disconnect);
    return peer;
  }

  /** Bob as a real peer runtime on {@code relays}, recording the uids its handler serves. */
  private RmbPeer bob(RelayServer... relays) {
    String[] urls = new String[relays.length];
    for (int i = 0; i < relays.length; i++) {
      urls[i] = "ws://127.0.0.1:" + relays[i].port();
    }
    RmbPeer bob = RmbPeer.create(RmbPeerOptions.builder().identity(TestTwins.identity(BOB.twin()))
        .twin(BOB.twin()).relays(urls)
        .twins(new CachingTwinDirectory(new FileTwinDirectory(TestTwins.writeFile(dir))))
        .build());
    bob.handleOthers(RequestHandler.sync(request -> {
      handled.add(request.uid());
      return Reply.of(new byte[0], null);
    }));
    open.add(bob);
    bob.start();
    await().atMost(Duration.ofSeconds(30)).until(bob::isConnected);
    return bob;
  }

  /** A request from Alice to Bob as it crossed the wire: the bytes a raw Bob received. */
  private static byte[] capture(TestPeer alice, TestPeer rawBob, String uid) throws Exception {
    alice.sendBytes(TestEnvelopes.signed(TestEnvelopes.request(ALICE, BOB, alice.clock())
        .setUid(uid)));
    byte[] captured = rawBob.awaitBytes();
    assertThat(Envelope.parseFrom(captured).getUid()).isEqualTo(uid);
    return captured;
  }

  @Test
  void theSameEnvelopeSentTwiceOnOneConnectionIsDeliveredOnce() {
    RelayServer relay = relay();
    TestPeer alice = connect(relay, ALICE);
    TestPeer bob = connect(relay, BOB);
    byte[] first = TestEnvelopes.signed(TestEnvelopes.request(ALICE, BOB, alice.clock())
        .setUid("replayed-1"));

    alice.sendBytes(first);
    alice.sendBytes(first);
    alice.sendBytes(TestEnvelopes.signed(TestEnvelopes.request(ALICE, BOB, alice.clock())
        .setUid("fresh-2")));

    // one connection's frames are routed in order and Bob's session writes in order
    assertThat(bob.awaitEnvelope().getUid()).isEqualTo("replayed-1");
    assertThat(bob.awaitEnvelope().getUid()).isEqualTo("fresh-2");
    assertThat(relay.stats().routed(RouteOutcome.DUPLICATE)).isEqualTo(1);
    // dropped silently: an error would fail Alice's request although it was delivered
    assertThat(alice.drainUntilSync()).isEmpty();
  }

  @Test
  void aCapturedEnvelopePostedBackToTheRelayIsNotDeliveredAgain() throws Exception {
    RelayServer relay = relay();
    TestPeer alice = connect(relay, ALICE);
    TestPeer rawBob = connect(relay, BOB);
    byte[] captured = capture(alice, rawBob, "captured-1");
    rawBob.disconnect();
    bob(relay);

    RawHttp.Response replayed = RawHttp.request(relay.port(), "POST", "/", captured);
    alice.sendBytes(TestEnvelopes.signed(TestEnvelopes.request(ALICE, BOB, alice.clock())
        .setUid("after-replay")));

    assertThat(replayed.status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> handled.contains("after-replay"));
    assertThat(handled).containsExactly("after-replay");
  }

  @Test
  void aPeerDropsAReplayThatRelaysWhichNeverSawItPassOn() throws Exception {
    RelayServer origin = relay();
    TestPeer alice = connect(origin, ALICE);
    TestPeer rawBob = connect(origin, BOB);
    byte[] captured = capture(alice, rawBob, "captured-2");
    // two relays that never saw it (other instances, or restarted): each one passes it on once
    RelayServer second = relay();
    RelayServer third = relay();
    RmbPeer bob = bob(second, third);

    assertThat(RawHttp.request(second.port(), "POST", "/", captured).status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> handled.contains("captured-2"));
    assertThat(RawHttp.request(third.port(), "POST", "/", captured).status()).isEqualTo(202);

    await().atMost(Duration.ofSeconds(30))
        .until(() -> bob.stats().dropped(DropReason.DUPLICATE) == 1);
    assertThat(handled).containsExactly("captured-2");
  }

  @Test
  void aCapturedTokenIsRefusedOnceItHasExpired() {
    MutableClock clock = MutableClock.system();
    RelayServer relay = relay(clock, RelayOptions.builder());
    String token = RelayToken.create(TestTwins.identity(ALICE.twin()).signer(), ALICE.twin(),
        null, clock, Duration.ofSeconds(60)).text();
    TestPeer first = TestPeer.connect(relay.port(), "/", token, ALICE, clock);
    assertThat(first.isOpen()).isTrue();
    first.disconnect();

    clock.advance(Duration.ofSeconds(120)); // iat is rounded up: well past exp, not on it
    RawHttp.Response replayed = RawHttp.upgrade(relay.port(), "/?" + token);

    assertThat(replayed.status()).isEqualTo(401);
    assertThat(replayed.body()).startsWith("invalid jwt: ").contains("expired");
  }

  @Test
  void theDefaultLifetimeBoundAdmitsTheTypeScriptClientsTokensAndRefusesLongerOnes() {
    MutableClock clock = MutableClock.system();
    RelayServer relay = relay(clock, RelayOptions.builder());
    String typescript = RelayToken.create(TestTwins.identity(ALICE.twin()).signer(),
        ALICE.twin(), "ts-client", clock, Duration.ofSeconds(1000)).text();
    String greedy = RelayToken.create(TestTwins.identity(ALICE.twin()).signer(), ALICE.twin(),
        null, clock, Duration.ofSeconds(3601)).text();

    TestPeer admitted = TestPeer.connect(relay.port(), "/", typescript,
        SessionKey.of(ALICE.twin(), "ts-client"), clock);
    open.add(admitted::disconnect);
    RawHttp.Response refused = RawHttp.upgrade(relay.port(), "/?" + greedy);

    assertThat(admitted.isOpen()).isTrue();
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body())
        .isEqualTo("invalid jwt: token lifetime 3601 s exceeds the allowed 3600 s");
  }
}
