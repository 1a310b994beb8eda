package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RequestHandler;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.CachingTwinDirectory;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.proto.Envelope;
import io.rmb.relay.routing.RouteOutcome;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.testing.MutableClock;
import io.rmb.relay.testing.TestEnvelopes;
import io.rmb.relay.testing.TestPeer;
import io.rmb.relay.testing.TestTwins;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a real {@link RmbPeer} does with hostile traffic that the relay forwards (relays do not
 * check envelope signatures): a forged signature is answered with a signed error 104, and a
 * replayed request is served once only.
 */
@Tag("integration")
class RejectionsThroughRelayIT {
  private static final MutableClock CLOCK = MutableClock.system();
  private static final SessionKey ALICE = SessionKey.of(TestTwins.ALICE, null);
  private static final SessionKey BOB = SessionKey.of(TestTwins.BOB, null);

  @TempDir static Path dir;
  private static RelayServer relay;
  private static RmbPeer bob;
  private static final List<String> served = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    Path twins = TestTwins.writeFile(dir);
    relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain(TestTwins.DOMAIN).twinsFile(twins).build());
    bob = RmbPeer.create(RmbPeerOptions.builder().identity(TestTwins.identity(TestTwins.BOB))
        .twin(TestTwins.BOB).relays("ws://127.0.0.1:" + relay.port())
        .twins(new CachingTwinDirectory(new FileTwinDirectory(twins))).build())
        .handleOthers(RequestHandler.sync(request -> {
          served.add(request.uid());
          return Reply.of("ok");
        })).start();
    await().atMost(Duration.ofSeconds(20)).until(bob::isConnected);
  }

  @AfterAll
  static void stop() {
    bob.close();
    relay.close();
  }

  @Test
  void aForgedSignatureGetsASignedError104AndIsNotServed() {
    TestPeer alice = TestPeer.connect(relay.port(), ALICE, CLOCK);
    try {
      Envelope.Builder request = TestEnvelopes.request(ALICE, BOB, CLOCK);
      Envelope signed = Envelopes.decode(TestEnvelopes.signed(request));
      byte[] forged = signed.getSignature().toByteArray();
      forged[10] ^= 1;
      alice.sendBytes(signed.toBuilder().setSignature(ByteString.copyFrom(forged)).build()
          .toByteArray());

      Envelope answer = alice.awaitEnvelope();

      assertThat(answer.getUid()).isEqualTo(signed.getUid());
      assertThat(answer.getError().getCode()).isEqualTo(104);
      assertThat(Envelopes.sourceTwin(answer)).isEqualTo(TestTwins.BOB);
      Envelopes.verify(answer, TestTwins.identity(TestTwins.BOB).publicKey());
      assertThat(served).doesNotContain(signed.getUid());
    } finally {
      alice.disconnect();
    }
  }

  @Test
  void aReplayedRequestIsServedOnce() {
    TestPeer alice = TestPeer.connect(relay.port(), ALICE, CLOCK);
    try {
      long duplicatesBefore = relay.stats().routed(RouteOutcome.DUPLICATE);
      byte[] request = TestEnvelopes.signed(TestEnvelopes.request(ALICE, BOB, CLOCK));
      String uid = Envelopes.decode(request).getUid();

      alice.sendBytes(request);
      Envelope first = alice.awaitEnvelope();
      alice.sendBytes(request);
      // the relay routed it before and drops the copy; when a relay cannot tell (another
      // relay, a restart), the peer drops it: ReplayIT.aPeerDropsAReplayThatRelaysWhichNeverSawItPassOn
      await().atMost(Duration.ofSeconds(10))
          .until(() -> relay.stats().routed(RouteOutcome.DUPLICATE) > duplicatesBefore);
      assertThat(alice.drainUntilSync()).as("no error for the copy").isEmpty();

      assertThat(first.getUid()).isEqualTo(uid);
      assertThat(first.hasResponse()).isTrue();
      assertThat(served.stream().filter(uid::equals)).hasSize(1);
    } finally {
      alice.disconnect();
    }
  }
}
