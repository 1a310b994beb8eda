package io.rmb.peer.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.transport.Backoff;
import io.rmb.peer.transport.RelayEndpoint;
import io.rmb.peer.transport.RelayOptions;
import io.rmb.peer.transport.RelayState;
import io.rmb.peer.transport.TestRelay;
import io.rmb.peer.twin.Twin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A relay that dies with frames inside, seen by two {@link RmbPeer}s: what the sender wrote
 * into it in the resend window goes out again through the other relay, and the receiver
 * handles each request exactly once (its replay guard drops the copies of those the dead relay
 * had delivered).
 */
class RelayDeathResendIT {
  private static final Identity SR = Identity.fromSecret("0x" + "a1".repeat(32), KeyType.SR25519);
  private static final Identity ED = Identity.fromSecret("0x" + "b2".repeat(32), KeyType.ED25519);
  private static final long A = 1;
  private static final long B = 2;

  private final MapTwinDirectory twins = new MapTwinDirectory().put(twin(A, SR)).put(twin(B, ED));
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private static Twin twin(long id, Identity identity) {
    return new Twin(id, identity.publicKey(), Set.of("127.0.0.1"),
        identity.e2ePublicKey().orElse(null));
  }

  private TestRelay relay() {
    TestRelay relay = TestRelay.start(0, twins);
    cleanup.add(relay::shutdown);
    return relay;
  }

  private RmbPeer peer(Identity identity, long twin, TestRelay... relays) {
    List<String> urls = new ArrayList<>();
    for (TestRelay relay : relays) {
      urls.add(relay.url());
    }
    RmbPeer peer = RmbPeer.create(RmbPeerOptions.builder()
        .identity(identity).twin(twin).twins(twins)
        .relayOptions(RelayOptions.builder().relays(urls)
            .pingInterval(Duration.ofMillis(200)).readTimeout(Duration.ofSeconds(1))
            .backoff(Backoff.fixed(Duration.ofMillis(50)))
            // long enough for the whole test on a loaded machine; the default is 2 s
            .resendWindow(Duration.ofSeconds(30)).build())
        .build());
    cleanup.add(peer);
    peer.handle("echo", RequestHandler.sync(req -> {
      handled.computeIfAbsent(req.payloadText(), k -> new AtomicInteger()).incrementAndGet();
      return Reply.of("echo:" + req.payloadText());
    }));
    return peer.start();
  }

  private static void awaitConnected(RmbPeer peer, TestRelay... relays) {
    await().atMost(Duration.ofSeconds(10)).until(() -> List.of(relays).stream()
        .allMatch(relay -> peer.stats().relays().stream().anyMatch(s ->
            s.state() == RelayState.CONNECTED
                && s.endpoint().equals(RelayEndpoint.parse(relay.url())))));
  }

  private static List<RequestHandle> ask(RmbPeer from, String prefix, int count,
      Duration timeout) {
    List<RequestHandle> handles = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      handles.add(from.request(List.of(B), "echo",
          (prefix + i).getBytes(StandardCharsets.UTF_8), timeout));
    }
    return handles;
  }

  private static void assertAnswered(List<RequestHandle> handles, String prefix)
      throws Exception {
    for (int i = 0; i < handles.size(); i++) {
      Outcome outcome = handles.get(i).outcome(B).get(20, TimeUnit.SECONDS);
      assertThat(outcome).as("outcome of %s%d", prefix, i).isInstanceOf(Outcome.Response.class);
      assertThat(((Outcome.Response) outcome).payloadText()).isEqualTo("echo:" + prefix + i);
    }
  }

  @Test
  void requestsInARelayThatDiesAreHandledOnceThroughTheOtherRelayAndExpiredOnesNotAtAll()
      throws Exception {
    TestRelay r1 = relay();
    TestRelay r2 = relay();
    r1.peerWith(r2); // the receiver is on r2 only: r1 forwards to it while alive
    RmbPeer a = peer(SR, A, r1, r2);
    RmbPeer b = peer(ED, B, r2);
    awaitConnected(a, r1, r2);
    awaitConnected(b, r2);

    // delivered by r1 before it dies: their resent copies must not be handled again
    List<RequestHandle> delivered = ask(a, "delivered-", 10, Duration.ofSeconds(30));
    assertAnswered(delivered, "delivered-");
    assertThat(r1.forwarded).hasSize(10);

    r1.swallow = true;
    // taken by r1 and past its deadline before r1 dies: not resent
    RequestHandle expired = ask(a, "expired-", 1, Duration.ofSeconds(1)).get(0);
    assertThat(expired.outcome(B).get(10, TimeUnit.SECONDS).kind())
        .isEqualTo(Outcome.Kind.TIMEOUT);
    List<RequestHandle> swallowed = ask(a, "swallowed-", 10, Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(10)).until(() -> r1.swallowed.get() == 11);

    r1.kill();

    assertAnswered(swallowed, "swallowed-");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> b.stats().dropped(DropReason.DUPLICATE) == 10);
    assertThat(handled).doesNotContainKey("expired-0").hasSize(20);
    assertThat(handled.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(a.stats().framesResent()).isEqualTo(20);
    assertThat(a.stats().relays().get(0).framesResent()).isEqualTo(20);
    assertThat(a.stats().dropped(DropReason.ALREADY_ANSWERED)
        + a.stats().dropped(DropReason.DUPLICATE)).isZero();
  }
}
