package io.rmb.peer.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.proto.Address;
import io.rmb.proto.Envelope;
import io.rmb.proto.Request;
import io.rmb.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RelayClient}'s resend window against {@link TestRelay}s on 127.0.0.1: relay A takes
 * frames and swallows them (or stops reading), then dies; relay B is healthy, and the receiver
 * is connected only to B, so whatever it gets was resent.
 */
class RelayResendIT {
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

  private TestRelay relay() {
    TestRelay relay = TestRelay.start(0, TWINS);
    cleanup.add(relay::shutdown);
    return relay;
  }

  private RelayClient client(Identity identity, long twin, RelayOptions.Builder options,
      LinkedBlockingQueue<byte[]> frames) {
    TokenProvider signed = TokenProvider.signed(identity.signer(), twin, null,
        Clock.systemUTC(), TokenProvider.DEFAULT_TTL);
    RelayClient client = new RelayClient(options.backoff(Backoff.fixed(Duration.ofMillis(50)))
        .connectTimeout(Duration.ofSeconds(2)).build(), signed::token);
    cleanup.add(client);
    client.start((relay, frame) -> frames.add(frame));
    return client;
  }

  private static RelayStatus status(RelayClient client, TestRelay relay) {
    return client.status().stream()
        .filter(s -> s.endpoint().equals(RelayEndpoint.parse(relay.url())))
        .findFirst().orElseThrow();
  }

  private static void awaitConnected(RelayClient client, TestRelay... relays) {
    await().atMost(Duration.ofSeconds(10)).until(() -> List.of(relays).stream()
        .allMatch(r -> status(client, r).state() == RelayState.CONNECTED));
  }

  private static byte[] request(String uid) {
    return Envelope.newBuilder().setUid(uid)
        .setSource(Address.newBuilder().setTwin(1))
        .setDestination(Address.newBuilder().setTwin(2))
        .setRequest(Request.newBuilder().setCommand("test")).build().toByteArray();
  }

  private static String uid(byte[] frame) {
    try {
      return Envelope.parseFrom(frame).getUid();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** Sends each uid and checks that relay {@code into} took it. */
  private static void send(RelayClient client, TestRelay into, List<String> uids, Instant due)
      throws Exception {
    for (String uid : uids) {
      assertThat(client.send(request(uid), due).get(5, TimeUnit.SECONDS))
          .isEqualTo(RelayEndpoint.parse(into.url()));
    }
  }

  private static List<String> uids(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
  }

  private static List<String> receive(LinkedBlockingQueue<byte[]> frames, int count)
      throws InterruptedException {
    List<String> got = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] frame = frames.poll(10, TimeUnit.SECONDS);
      assertThat(frame).as("frame %d of %d within 10 s (got %s)", i + 1, count, got).isNotNull();
      got.add(uid(frame));
    }
    return got;
  }

  @Test
  void framesADyingRelayTookInTheWindowGoThroughTheOtherRelayInOrderAndNoneOlderOrExpired()
      throws Exception {
    TestRelay a = relay();
    TestRelay b = relay();
    ManualClock clock = new ManualClock();
    LinkedBlockingQueue<byte[]> unused = new LinkedBlockingQueue<>();
    RelayClient sender = client(ONE, 1, RelayOptions.builder().relays(a.url(), b.url())
        .clock(clock).resendWindow(Duration.ofSeconds(5)), unused);
    LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    RelayClient receiver = client(TWO, 2, RelayOptions.builder().relays(b.url()), received);
    awaitConnected(sender, a, b);
    awaitConnected(receiver, b);
    a.swallow = true;

    send(sender, a, uids("old-", 5), clock.instant().plusSeconds(60));
    clock.advance(6_000); // those five are older than the 5 s window now
    send(sender, a, uids("short-", 5), clock.instant().plusSeconds(1));
    clock.advance(2_000); // within the window, but past their deadline
    List<String> live = uids("live-", 20);
    send(sender, a, live, clock.instant().plusSeconds(60));
    await().atMost(Duration.ofSeconds(10)).until(() -> a.swallowed.get() == 30);

    a.kill();

    assertThat(receive(received, 20)).containsExactlyElementsOf(live);
    assertThat(b.forwarded).extracting(Envelope::getUid).containsExactlyElementsOf(live);
    assertThat(status(sender, a).framesResent()).isEqualTo(20);
    assertThat(status(sender, a).resendForgotten()).isZero();
    assertThat(status(sender, b).framesSent()).isEqualTo(20);
  }

  @Test
  void aRelayThatStopsReadingIsDroppedAtTheReadTimeoutAndWhatItHeldIsResent() throws Exception {
    TestRelay a = relay();
    TestRelay b = relay();
    CountDownLatch stalled = new CountDownLatch(1);
    cleanup.add(stalled::countDown); // before the relay's shutdown: let its reader go
    LinkedBlockingQueue<byte[]> unused = new LinkedBlockingQueue<>();
    RelayClient sender = client(ONE, 1, RelayOptions.builder().relays(a.url(), b.url())
        .pingInterval(Duration.ofMillis(100)).readTimeout(Duration.ofMillis(500))
        .resendWindow(Duration.ofSeconds(30)), unused);
    LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    RelayClient receiver = client(TWO, 2, RelayOptions.builder().relays(b.url()), received);
    awaitConnected(sender, a, b);
    awaitConnected(receiver, b);
    a.answerPings = false;
    a.stallReads = stalled;

    List<String> held = uids("held-", 10);
    send(sender, a, held, Instant.now().plusSeconds(60));

    assertThat(receive(received, 10)).containsExactlyElementsOf(held);
    assertThat(status(sender, a).readTimeouts()).isGreaterThanOrEqualTo(1);
    assertThat(status(sender, a).framesResent()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void ourOwnCloseResendsNothing() throws Exception {
    TestRelay a = relay();
    TestRelay b = relay();
    LinkedBlockingQueue<byte[]> unused = new LinkedBlockingQueue<>();
    RelayClient sender = client(ONE, 1, RelayOptions.builder().relays(a.url(), b.url()), unused);
    LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    RelayClient receiver = client(TWO, 2, RelayOptions.builder().relays(b.url()), received);
    awaitConnected(sender, a, b);
    awaitConnected(receiver, b);
    a.swallow = true;
    send(sender, a, uids("mine-", 10), Instant.now().plusSeconds(60));
    await().atMost(Duration.ofSeconds(10)).until(() -> a.swallowed.get() == 10);

    sender.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> a.getConnections().isEmpty());
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> received.isEmpty() && b.forwarded.isEmpty());
    assertThat(status(sender, a).framesResent()).isZero();
  }

  @Test
  void aZeroWindowResendsNothing() throws Exception {
    TestRelay a = relay();
    TestRelay b = relay();
    LinkedBlockingQueue<byte[]> unused = new LinkedBlockingQueue<>();
    RelayClient sender = client(ONE, 1, RelayOptions.builder().relays(a.url(), b.url())
        .resendWindow(Duration.ZERO), unused);
    LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    RelayClient receiver = client(TWO, 2, RelayOptions.builder().relays(b.url()), received);
    awaitConnected(sender, a, b);
    awaitConnected(receiver, b);
    a.swallow = true;
    send(sender, a, uids("lost-", 10), Instant.now().plusSeconds(60));
    await().atMost(Duration.ofSeconds(10)).until(() -> a.swallowed.get() == 10);

    a.kill();

    await().atMost(Duration.ofSeconds(10))
        .until(() -> status(sender, a).state() != RelayState.CONNECTED);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> received.isEmpty() && b.forwarded.isEmpty());
    assertThat(status(sender, a).framesResent()).isZero();
    // the client still works: a new frame goes through b
    send(sender, b, List.of("after"), Instant.now().plusSeconds(60));
    assertThat(receive(received, 1)).containsExactly("after");
  }
}
