package io.rmb.peer.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.token.RelayToken;
import io.rmb.peer.transport.Backoff;
import io.rmb.peer.transport.RelayEndpoint;
import io.rmb.peer.transport.RelayOptions;
import io.rmb.peer.transport.RelayState;
import io.rmb.peer.transport.TestRelay;
import io.rmb.peer.twin.Twin;
import io.rmb.proto.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two and more {@link RmbPeer}s talking through {@link TestRelay}s on 127.0.0.1. */
class RmbPeerIT {
  static final Identity SR = Identity.fromSecret("0x" + "a1".repeat(32), KeyType.SR25519);
  static final Identity ED = Identity.fromSecret("0x" + "b2".repeat(32), KeyType.ED25519);
  static final Identity NO_KEY = Identity.fromSecret("//Charlie", KeyType.SR25519);
  static final long A = 1; // sr25519, encrypting
  static final long B = 2; // ed25519, encrypting
  static final long C = 3; // sr25519 without e2e key: plain only
  static final long D = 4; // known, never online

  private final MapTwinDirectory twins = new MapTwinDirectory()
      .put(twin(A, SR)).put(twin(B, ED)).put(twin(C, NO_KEY))
      // D's relay is elsewhere and it is never online: the test relay answers with an error
      .put(new Twin(D, Identity.fromSecret("//Dave", KeyType.SR25519).publicKey(),
          Set.of("elsewhere.example"), null));
  private final List<AutoCloseable> cleanup = new ArrayList<>();

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

  private TestRelay relay(int port) {
    TestRelay relay = TestRelay.start(port, twins);
    cleanup.add(relay::shutdown);
    return relay;
  }

  private RmbPeer peer(Identity identity, long twin, String session, TestRelay... relays) {
    List<String> urls = new ArrayList<>();
    for (TestRelay relay : relays) {
      urls.add(relay.url());
    }
    RmbPeer peer = RmbPeer.create(RmbPeerOptions.builder()
        .identity(identity).twin(twin).session(session).twins(twins)
        .relayOptions(RelayOptions.builder().relays(urls)
            .pingInterval(Duration.ofMillis(200)).readTimeout(Duration.ofSeconds(1))
            .backoff(Backoff.fixed(Duration.ofMillis(50))).build())
        .build());
    cleanup.add(peer);
    peer.handle("echo", RequestHandler.sync(req -> Reply.of(
        "echo:" + req.payloadText() + " to " + twin + (session == null ? "" : "/" + session))));
    peer.handle("fail", req -> {
      throw new IllegalStateException("handler broke");
    });
    return peer.start();
  }

  private static void awaitConnected(RmbPeer peer, TestRelay... relays) {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      for (TestRelay relay : relays) {
        boolean up = peer.stats().relays().stream().anyMatch(s -> s.state() == RelayState.CONNECTED
            && s.endpoint().equals(RelayEndpoint.parse(relay.url())));
        if (!up) {
          return false;
        }
      }
      return true;
    });
  }

  private static Outcome ask(RmbPeer from, long to, String command, String payload)
      throws Exception {
    return from.request(List.of(to), command, payload.getBytes(StandardCharsets.UTF_8),
        Duration.ofSeconds(10)).outcome(to).get(15, TimeUnit.SECONDS);
  }

  private static String text(Outcome outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Response.class);
    return ((Outcome.Response) outcome).payloadText();
  }

  @Test
  void srAndEdPeersTalkEncryptedAndATwinWithoutKeyInPlain() throws Exception {
    TestRelay relay = relay(0);
    RmbPeer a = peer(SR, A, null, relay);
    RmbPeer b = peer(ED, B, null, relay);
    RmbPeer c = peer(NO_KEY, C, null, relay);
    awaitConnected(a, relay);
    awaitConnected(b, relay);
    awaitConnected(c, relay);
    assertThat(a.isConnected()).isTrue();

    assertThat(text(ask(a, B, "echo", "ping"))).isEqualTo("echo:ping to 2");
    assertThat(text(ask(b, A, "echo", "pong"))).isEqualTo("echo:pong to 1");
    assertThat(text(ask(a, C, "echo", "clear"))).isEqualTo("echo:clear to 3");
    assertThat(text(ask(c, B, "echo", "from c"))).isEqualTo("echo:from c to 2");

    // what the relay saw: encrypted only between twins that both have keys
    for (Envelope e : relay.forwarded) {
      int from = e.getSource().getTwin();
      int to = e.getDestination().getTwin();
      boolean bothKeys = from != C && to != C;
      assertThat(e.hasCipher()).as("%s -> %s", from, to).isEqualTo(bothKeys);
    }
    assertThat(relay.forwarded).hasSize(8);
  }

  @Test
  void handlerErrorsAndUnknownCommandsComeBackAsPeerErrors() throws Exception {
    TestRelay relay = relay(0);
    RmbPeer a = peer(SR, A, null, relay);
    RmbPeer b = peer(ED, B, null, relay);
    awaitConnected(a, relay);
    awaitConnected(b, relay);

    assertThat(ask(a, B, "fail", "x"))
        .isEqualTo(new Outcome.Error(B, Outcome.Origin.PEER, 0, "handler broke"));
    assertThat(ask(a, B, "missing", "x")).isEqualTo(new Outcome.Error(B, Outcome.Origin.PEER, 0,
        "function is not found: missing"));
  }

  @Test
  void oneRequestToManyTwinsEndsOncePerTwin() throws Exception {
    TestRelay relay = relay(0);
    RmbPeer a = peer(SR, A, null, relay);
    RmbPeer b = peer(ED, B, null, relay);
    RmbPeer c = peer(NO_KEY, C, null, relay);
    awaitConnected(a, relay);
    awaitConnected(b, relay);
    awaitConnected(c, relay);

    RequestHandle handle = a.request(List.of(B, C, D, 99L), "echo",
        "all".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
    List<Outcome> outcomes = handle.all().get(15, TimeUnit.SECONDS);

    assertThat(text(outcomes.get(0))).isEqualTo("echo:all to 2");
    assertThat(text(outcomes.get(1))).isEqualTo("echo:all to 3");
    assertThat(outcomes.get(2)).as("D is offline: the relay says so")
        .isEqualTo(new Outcome.Error(D, Outcome.Origin.RELAY, 0, "destination offline"));
    assertThat(outcomes.get(3)).isEqualTo(new Outcome.Error(99, Outcome.Origin.LOCAL, 103,
        "destination twin 99 is not in the twin directory"));
    assertThat(relay.forwarded).filteredOn(e -> e.hasRequest())
        .extracting(Envelope::getUid).containsOnly(handle.uid()).hasSize(3);
  }

  @Test
  void aSessionPeerGetsItsOwnRepliesAndAFreshTokenNamesTheSession() throws Exception {
    TestRelay relay = relay(0);
    RmbPeer plainA = peer(SR, A, null, relay);
    RmbPeer sessionA = peer(SR, A, "web-1", relay);
    RmbPeer b = peer(ED, B, null, relay);
    awaitConnected(plainA, relay);
    awaitConnected(sessionA, relay);
    awaitConnected(b, relay);

    assertThat(text(ask(sessionA, B, "echo", "s"))).isEqualTo("echo:s to 2");
    assertThat(text(ask(b, A, "echo", "default"))).isEqualTo("echo:default to 1");
    assertThat(plainA.stats().answersReceived()).isZero();
    assertThat(plainA.stats().requestsReceived()).isEqualTo(1);
    assertThat(sessionA.stats().requestsReceived()).isZero();
    assertThat(relay.tokens).filteredOn(t -> t.twin() == A)
        .extracting(t -> t.session().orElse("-")).containsExactlyInAnyOrder("-", "web-1");
  }

  @Test
  void peersRejoinARestartedRelayWithFreshTokensAndWaitingRequestsGoOut() throws Exception {
    TestRelay relay = relay(0);
    int port = relay.getPort();
    RmbPeer a = peer(SR, A, null, relay);
    RmbPeer b = peer(ED, B, null, relay);
    awaitConnected(a, relay);
    awaitConnected(b, relay);
    assertThat(text(ask(a, B, "echo", "before"))).isEqualTo("echo:before to 2");
    RelayToken before = relay.tokens.stream().filter(t -> t.twin() == A).findFirst()
        .orElseThrow();

    relay.shutdown();
    await().atMost(Duration.ofSeconds(10)).until(() -> !a.isConnected());
    // sent while no relay is up: waits in the transport, goes out after the reconnect
    RequestHandle waiting = a.request(List.of(B), "echo",
        "during".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(15));

    TestRelay restarted = relay(port);
    assertThat(text(waiting.outcome(B).get(20, TimeUnit.SECONDS)))
        .isEqualTo("echo:during to 2");
    assertThat(text(ask(a, B, "echo", "after"))).isEqualTo("echo:after to 2");
    RelayToken after = restarted.tokens.stream().filter(t -> t.twin() == A).findFirst()
        .orElseThrow();
    assertThat(after.text()).isNotEqualTo(before.text());
    assertThat(a.stats().relays().get(0).connects()).isEqualTo(2);
  }

  @Test
  void requestsFailOverToTheSecondRelayWhenTheFirstStopsMidStream() throws Exception {
    TestRelay r1 = relay(0);
    TestRelay r2 = relay(0);
    r1.peerWith(r2);
    r2.peerWith(r1);
    RmbPeer a = peer(SR, A, null, r1, r2);
    RmbPeer b = peer(ED, B, null, r1, r2);
    awaitConnected(a, r1, r2);
    awaitConnected(b, r1, r2);

    List<RequestHandle> early = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      early.add(a.request(List.of(B), "echo", ("e" + i).getBytes(StandardCharsets.UTF_8),
          Duration.ofSeconds(5)));
    }
    for (RequestHandle h : early) {
      assertThat(h.outcome(B).get(10, TimeUnit.SECONDS).kind()).isEqualTo(Outcome.Kind.RESPONSE);
    }
    int viaR1 = r1.forwarded.size();
    assertThat(viaR1).as("the first relay carries traffic while it is up").isEqualTo(20);

    // keep a stream going while r1 goes down
    List<RequestHandle> during = new ArrayList<>();
    Thread stopper = new Thread(r1::shutdown);
    for (int i = 0; i < 30; i++) {
      if (i == 10) {
        stopper.start();
      }
      during.add(a.request(List.of(B), "echo", ("d" + i).getBytes(StandardCharsets.UTF_8),
          Duration.ofSeconds(3)));
      Thread.sleep(5); // pacing of the stream, not a wait for a result
    }
    stopper.join();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> a.stats().relays().get(0).state() != RelayState.CONNECTED
            && b.stats().relays().get(0).state() != RelayState.CONNECTED);
    List<RequestHandle> late = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      late.add(a.request(List.of(B), "echo", ("l" + i).getBytes(StandardCharsets.UTF_8),
          Duration.ofSeconds(5)));
    }

    for (RequestHandle h : during) {
      // a frame written into r1 as it closed may be lost (no receipts in RMB): then a timeout
      assertThat(h.outcome(B).get(10, TimeUnit.SECONDS).kind())
          .isIn(Outcome.Kind.RESPONSE, Outcome.Kind.TIMEOUT);
    }
    for (RequestHandle h : late) {
      assertThat(text(h.outcome(B).get(10, TimeUnit.SECONDS))).startsWith("echo:l");
    }
    assertThat(r2.forwarded.size()).as("the second relay took over").isGreaterThanOrEqualTo(20);
    assertThat(a.stats().relays().get(1).framesSent()).isGreaterThanOrEqualTo(10);
  }
}
