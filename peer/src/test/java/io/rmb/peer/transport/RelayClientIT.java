package io.rmb.peer.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.token.RelayToken;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.proto.Address;
import io.rmb.proto.Envelope;
import io.rmb.proto.Request;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RelayClient} against {@link TestRelay}s on 127.0.0.1. */
class RelayClientIT {
  private static final Identity ONE = TestTwins.ONE;
  private static final Identity TWO = TestTwins.TWO;
  private static final TwinDirectory TWINS = TestTwins.TWINS;

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private TestRelay relay(int port) {
    TestRelay relay = TestRelay.start(port, TWINS);
    cleanup.add(relay::shutdown);
    return relay;
  }

  /** A client with fast timings whose frames land in a queue. */
  private final class Client {
    final LinkedBlockingQueue<Map.Entry<RelayEndpoint, byte[]>> frames =
        new LinkedBlockingQueue<>();
    final AtomicInteger tokensMinted = new AtomicInteger();
    final RelayClient client;

    Client(Identity identity, long twin, String session, RelayOptions.Builder options) {
      TokenProvider signed = TokenProvider.signed(identity.signer(), twin, session,
          Clock.systemUTC(), TokenProvider.DEFAULT_TTL);
      client = new RelayClient(options.backoff(Backoff.fixed(Duration.ofMillis(50)))
          .connectTimeout(Duration.ofSeconds(2)).build(), () -> {
            tokensMinted.incrementAndGet();
            return signed.token();
          });
      cleanup.add(client);
      client.start((relay, frame) -> frames.add(Map.entry(relay, frame)));
    }

    RelayStatus status(TestRelay relay) {
      return client.status().stream()
          .filter(s -> s.endpoint().equals(RelayEndpoint.parse(relay.url())))
          .findFirst().orElseThrow();
    }

    void awaitConnected(TestRelay... relays) {
      await().atMost(Duration.ofSeconds(10)).until(() -> List.of(relays).stream()
          .allMatch(r -> status(r).state() == RelayState.CONNECTED));
    }

    Map.Entry<RelayEndpoint, byte[]> next() throws InterruptedException {
      Map.Entry<RelayEndpoint, byte[]> frame = frames.poll(10, TimeUnit.SECONDS);
      assertThat(frame).as("a frame within 10 s").isNotNull();
      return frame;
    }
  }

  private static byte[] request(long from, long to, String uid) {
    return Envelope.newBuilder().setUid(uid)
        .setSource(Address.newBuilder().setTwin((int) from))
        .setDestination(Address.newBuilder().setTwin((int) to))
        .setRequest(Request.newBuilder().setCommand("test")).build().toByteArray();
  }

  private static Instant in(Duration d) {
    return Instant.now().plus(d);
  }

  @Test
  void everyConnectPresentsAFreshTokenAndARestartedRelayIsRejoined() throws Exception {
    TestRelay relay = relay(0);
    int port = relay.getPort();
    Client one = new Client(ONE, 1, "session-1", RelayOptions.builder().relays(relay.url()));
    one.awaitConnected(relay);
    RelayToken first = relay.tokens.get(0);
    assertThat(first.twin()).isEqualTo(1);
    assertThat(first.session()).contains("session-1");
    assertThat(first.expiresAt() - first.issuedAt()).isEqualTo(60);

    relay.shutdown();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> one.status(relay).state() != RelayState.CONNECTED);
    TestRelay restarted = relay(port);
    one.awaitConnected(restarted);

    RelayToken second = restarted.tokens.get(0);
    second.verify(ONE.publicKey(), Clock.systemUTC(), Duration.ofSeconds(300));
    assertThat(second.text()).isNotEqualTo(first.text());
    RelayStatus status = one.status(restarted);
    assertThat(status.connects()).isEqualTo(2);
    // one token per attempt, including the ones refused while the relay was down
    assertThat(one.tokensMinted.get()).isEqualTo((int) status.attempts());
    assertThat(status.attempts()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void pingsWhenIdleAndReconnectsWhenNothingIsRead() {
    TestRelay relay = relay(0);
    Client one = new Client(ONE, 1, null, RelayOptions.builder().relays(relay.url())
        .pingInterval(Duration.ofMillis(100)).readTimeout(Duration.ofMillis(400)));
    one.awaitConnected(relay);

    // answered pings keep an idle connection alive
    await().atMost(Duration.ofSeconds(10)).until(() -> relay.pings.get() >= 4);
    assertThat(one.status(relay).readTimeouts()).isZero();
    assertThat(relay.opens.get()).isEqualTo(1);
    assertThat(one.status(relay).pingsSent()).isGreaterThanOrEqualTo(4);

    // a relay that stops answering is dropped after the read timeout, then rejoined
    relay.answerPings = false;
    long silentSince = System.nanoTime();
    await().atMost(Duration.ofSeconds(10)).until(() -> relay.opens.get() >= 2);
    long reconnectedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentSince);
    assertThat(one.status(relay).readTimeouts()).isGreaterThanOrEqualTo(1);
    // the last pong came at most one ping interval before the relay fell silent
    assertThat(reconnectedAfter).isGreaterThanOrEqualTo(400 - 100);
  }

  @Test
  void sendsGoToTheFirstConnectedRelayAndFailOverWhenItStops() throws Exception {
    TestRelay r1 = relay(0);
    TestRelay r2 = relay(0);
    Client one = new Client(ONE, 1, null, RelayOptions.builder().relays(r1.url(), r2.url()));
    Client two = new Client(TWO, 2, null, RelayOptions.builder().relays(r1.url(), r2.url()));
    one.awaitConnected(r1, r2);
    two.awaitConnected(r1, r2);

    RelayEndpoint taken = one.client.send(request(1, 2, "a"), in(Duration.ofSeconds(5))).join();
    assertThat(taken).isEqualTo(RelayEndpoint.parse(r1.url()));
    assertThat(two.next().getKey()).isEqualTo(RelayEndpoint.parse(r1.url()));

    r1.shutdown();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> one.status(r1).state() != RelayState.CONNECTED
            && two.status(r1).state() != RelayState.CONNECTED);
    taken = one.client.send(request(1, 2, "b"), in(Duration.ofSeconds(5))).join();
    assertThat(taken).isEqualTo(RelayEndpoint.parse(r2.url()));
    // "a" was written to r1 within the resend window before r1 went away, so it is resent
    // through r2 as well (no delivery receipt: r1 may or may not have delivered it)
    List<String> uids = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Map.Entry<RelayEndpoint, byte[]> frame = two.next();
      assertThat(frame.getKey()).as("read from the second relay")
          .isEqualTo(RelayEndpoint.parse(r2.url()));
      uids.add(Envelope.parseFrom(frame.getValue()).getUid());
    }
    assertThat(uids).containsExactlyInAnyOrder("a", "b");
    assertThat(one.status(r1).framesResent()).isEqualTo(1);
  }

  @Test
  void aFrameWaitsForARelayUntilItsDeadline() throws Exception {
    TestRelay probe = relay(0);
    int port = probe.getPort();
    probe.shutdown(); // nothing listens on the port now
    Client one = new Client(ONE, 1, null, RelayOptions.builder().relays(probe.url()));

    long start = System.nanoTime();
    CompletableFuture<RelayEndpoint> doomed = one.client.send(request(1, 2, "x"),
        in(Duration.ofMillis(300)));
    assertThatThrownBy(doomed::join).isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(RelaySendException.Expired.class)
        .hasMessageContaining("no relay took the frame before its deadline")
        .hasMessageContaining(probe.url());
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(
        290);

    CompletableFuture<RelayEndpoint> patient = one.client.send(request(1, 2, "y"),
        in(Duration.ofSeconds(10)));
    assertThat(one.client.queuedFrames()).isEqualTo(1);
    TestRelay relay = relay(port);
    assertThat(patient.get(10, TimeUnit.SECONDS)).isEqualTo(RelayEndpoint.parse(relay.url()));
    await().atMost(Duration.ofSeconds(5)).until(() -> relay.forwarded.size() == 1);
    assertThat(relay.forwarded.get(0).getUid()).isEqualTo("y");
  }

  @Test
  void framesHeldBackByAFullWriteQueueGoOutWhenTheRelayReadsAgainWithoutAReconnect()
      throws Exception {
    TestRelay slow = relay(0);
    Client one = new Client(ONE, 1, null, RelayOptions.builder().relays(slow.url()));
    one.awaitConnected(slow);
    CountDownLatch stall = new CountDownLatch(1);
    slow.stallReads = stall;
    // write until the connection's write queue is full and frames wait in the client
    byte[] padding = new byte[16 * 1024];
    List<CompletableFuture<RelayEndpoint>> sends = new ArrayList<>();
    for (int i = 0; i < 20_000 && one.client.queuedFrames() == 0; i++) {
      sends.add(one.client.send(Envelope.newBuilder().setUid("bp-" + i)
          .setSource(Address.newBuilder().setTwin(1))
          .setDestination(Address.newBuilder().setTwin(2))
          .setRequest(Request.newBuilder().setCommand("test"))
          .setPlain(ByteString.copyFrom(padding)).build().toByteArray(),
          in(Duration.ofMinutes(2))));
    }
    assertThat(one.client.queuedFrames()).as("frames held back by back-pressure").isPositive();
    int opens = slow.opens.get();

    stall.countDown();
    // no connect event comes (the connection never dropped): the held frames still go out,
    // well before their deadline
    await().atMost(Duration.ofSeconds(30)).until(() -> one.client.queuedFrames() == 0
        && sends.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally()));
    assertThat(slow.opens.get()).isEqualTo(opens);
    slow.stallReads = null;
  }

  @Test
  void allRelaysAreReadIntoOneListenerAndTextFramesAreDropped() throws Exception {
    TestRelay r1 = relay(0);
    TestRelay r2 = relay(0);
    Client one = new Client(ONE, 1, null, RelayOptions.builder().relays(r1.url(), r2.url()));
    Client two = new Client(TWO, 2, null, RelayOptions.builder().relays(r2.url()));
    one.awaitConnected(r1, r2);
    two.awaitConnected(r2);

    two.client.send(request(2, 1, "via-r2"), in(Duration.ofSeconds(5))).join();
    assertThat(one.next().getKey()).isEqualTo(RelayEndpoint.parse(r2.url()));

    r1.sendText(1, null, "hello");
    r1.broadcast(request(2, 1, "via-r1"));
    Map.Entry<RelayEndpoint, byte[]> frame = one.next();
    assertThat(frame.getKey()).isEqualTo(RelayEndpoint.parse(r1.url()));
    assertThat(Envelope.parseFrom(frame.getValue()).getUid()).isEqualTo("via-r1");
    assertThat(one.status(r1).textFramesDropped()).isEqualTo(1);
    assertThat(one.frames).isEmpty();
  }

  @Test
  void aFrameAboveTheLimitIsRefusedCountedAndTheConnectionReestablished() throws Exception {
    TestRelay relay = relay(0);
    AtomicInteger oversize = new AtomicInteger();
    LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    RelayClient client = new RelayClient(RelayOptions.builder().relays(relay.url())
        .maxFrameSize(1024).backoff(Backoff.fixed(Duration.ofMillis(50))).build(),
        TokenProvider.signed(ONE.signer(), 1, null, Clock.systemUTC(), TokenProvider.DEFAULT_TTL));
    cleanup.add(client);
    client.start(new RelayListener() {
      @Override
      public void onFrame(RelayEndpoint from, byte[] frame) {
        frames.add(frame);
      }

      @Override
      public void onOversizeFrame(RelayEndpoint from, int limit) {
        assertThat(limit).isEqualTo(1024);
        oversize.incrementAndGet();
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> relay.hasSession(1, null));

    relay.sendBinary(1, null, new byte[1024]); // at the limit: delivered
    assertThat(frames.poll(10, TimeUnit.SECONDS)).hasSize(1024);
    relay.sendBinary(1, null, new byte[1025]);

    await().atMost(Duration.ofSeconds(10)).until(() -> oversize.get() == 1);
    RelayStatus status = client.status().get(0);
    assertThat(status.oversizeFrames()).isEqualTo(1);
    assertThat(status.framesReceived()).isEqualTo(1);
    // the rest of the refused frame cannot be skipped: the connection is closed and re-opened
    await().atMost(Duration.ofSeconds(20)).until(() -> client.status().get(0).connects() == 2
        && client.status().get(0).state() == RelayState.CONNECTED
        && relay.hasSession(1, null));
    relay.sendBinary(1, null, request(2, 1, "after"));
    assertThat(Envelope.parseFrom(frames.poll(10, TimeUnit.SECONDS)).getUid()).isEqualTo("after");
    assertThat(frames).isEmpty();
  }

  @Test
  void aRefusedTokenIsRetriedWithBackoffAndNeverConnects() {
    TestRelay relay = relay(0);
    Identity stranger = Identity.fromSecret("//Charlie", KeyType.SR25519);
    Client client = new Client(stranger, 1, null, RelayOptions.builder().relays(relay.url()));
    await().atMost(Duration.ofSeconds(10)).until(() -> relay.rejectedHandshakes.get() >= 3);
    assertThat(client.status(relay).connects()).isZero();
    assertThat(client.status(relay).state()).isNotEqualTo(RelayState.CONNECTED);
  }

  @Test
  void closeFailsWaitingFramesAndStopsReconnecting() {
    TestRelay probe = relay(0);
    probe.shutdown();
    Client one = new Client(ONE, 1, null, RelayOptions.builder().relays(probe.url()));
    CompletableFuture<RelayEndpoint> waiting = one.client.send(request(1, 2, "x"),
        in(Duration.ofSeconds(30)));
    one.client.close();
    assertThatThrownBy(waiting::join).hasCauseInstanceOf(RelaySendException.Closed.class);
    assertThat(one.client.status()).allMatch(s -> s.state() == RelayState.CLOSED);
    assertThatThrownBy(() -> one.client.send(new byte[1], in(Duration.ofSeconds(1))).join())
        .hasCauseInstanceOf(RelaySendException.Closed.class);
  }
}
