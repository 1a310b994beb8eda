package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rmb.peer.runtime.Outcome;
import io.rmb.proto.Envelope;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.relay.queue.QueueLimits;
import io.rmb.relay.redis.RedisOptions;
import io.rmb.relay.routing.RouteOutcome;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.testing.TestEnvelopes;
import io.rmb.relay.testing.TestPeer;
import io.rmb.relay.testing.TestTwins;
import io.rmb.relay.testing.Twins;
import io.rmb.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several relay instances on one real redis-server serve one population of twins: envelopes
 * cross instances, wait in Redis for twins that are offline, and outlive the instance they
 * were sent through. Each test has its own key prefix, so tests share the server only.
 */
@Tag("integration")
class RedisClusterIT {
  private static final Duration TTL = Duration.ofSeconds(60);
  private static RedisServer redis;

  @TempDir static Path dir;
  private static Twins twins;

  private final List<AutoCloseable> open = new ArrayList<>();
  private String prefix;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
    twins = Twins.write(dir, Map.of(1L, TestTwins.DOMAIN, 2L, TestTwins.DOMAIN));
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void prefix(TestInfo info) {
    prefix = "it." + info.getTestMethod().orElseThrow().getName() + ".";
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private RelayServer instance() {
    RelayServer relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain(TestTwins.DOMAIN).twinsFile(twins.file()).shutdownTimeout(Duration.ZERO)
        .queueLimits(QueueLimits.DEFAULT)
        .redis(RedisOptions.builder(redis.uri()).prefix(prefix).build()).build());
    open.add(relay);
    return relay;
  }

  private <T extends AutoCloseable> T track(T closeable) {
    open.add(closeable);
    return closeable;
  }

  private static List<CompletableFuture<Outcome>> send(RmbPeer client, int count) {
    List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      outcomes.add(client.request(List.of(2L), "echo", payload(i), TTL).outcome(2));
    }
    return outcomes;
  }

  private static byte[] payload(int i) {
    return ("message " + i).getBytes(StandardCharsets.UTF_8);
  }

  private static void assertEchoed(List<CompletableFuture<Outcome>> outcomes) throws Exception {
    for (int i = 0; i < outcomes.size(); i++) {
      byte[] expected = payload(i);
      assertThat(outcomes.get(i).get(30, TimeUnit.SECONDS)).as("request %d", i)
          .isInstanceOfSatisfying(Outcome.Response.class,
              response -> assertThat(response.payload()).isEqualTo(expected));
    }
  }

  @Test
  void requestThroughOneInstanceReachesATwinConnectedToTheOther() throws Exception {
    RelayServer a = instance();
    RelayServer b = instance();
    RmbPeer echo = track(twins.echo(2, Twins.ws(b.port())));
    RmbPeer client = track(twins.echo(1, Twins.ws(a.port())));
    await().atMost(Duration.ofSeconds(20)).until(() -> echo.isConnected() && client.isConnected());

    assertEchoed(send(client, 5));

    // a relay counts an envelope once its route completed, which may be after the delivery
    await("requests went through Redis").atMost(TestPeer.PATIENCE)
        .until(() -> a.stats().routed(RouteOutcome.QUEUED) >= 5);
    await("responses too").atMost(TestPeer.PATIENCE)
        .until(() -> b.stats().routed(RouteOutcome.QUEUED) >= 5);
  }

  @Test
  void envelopesForAnOfflineTwinReachItWhenItConnectsToAnotherInstance() throws Exception {
    RelayServer a = instance();
    RelayServer b = instance();
    RmbPeer client = track(twins.echo(1, Twins.ws(a.port())));
    await().atMost(Duration.ofSeconds(20)).until(client::isConnected);
    List<CompletableFuture<Outcome>> outcomes = send(client, 3);
    await().atMost(TestPeer.PATIENCE).until(() -> a.stats().routed(RouteOutcome.QUEUED) == 3);

    track(twins.echo(2, Twins.ws(b.port())));

    assertEchoed(outcomes);
  }

  @Test
  void instanceClosedAbruptlyLosesNothingThatWasQueuedThroughIt() throws Exception {
    RelayServer doomed = instance();
    RelayServer a = instance();
    RelayServer b = instance();
    Clock clock = Clock.systemUTC();
    SessionKey sender = SessionKey.of(TestTwins.ALICE, "sender");
    TestPeer first = TestPeer.connect(doomed.port(), sender, clock);
    Set<String> uids = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      Envelope request = TestEnvelopes.request(sender, SessionKey.of(TestTwins.BOB), clock)
          .setExpiration(TTL.toSeconds()).build();
      uids.add(request.getUid());
      first.sendBytes(TestEnvelopes.signed(request.toBuilder()));
    }
    await().atMost(TestPeer.PATIENCE)
        .until(() -> doomed.stats().routed(RouteOutcome.QUEUED) == 4);
    assertThat(redis.command("XLEN " + prefix + "queue.2")).isEqualTo(":4");

    doomed.close(); // shutdown timeout 0: connections are cut, nothing is handed over
    track(twins.echo(2, Twins.ws(b.port())));
    // the echo twin answers all four while the sender is away; it comes back elsewhere
    await().atMost(Duration.ofSeconds(20))
        .until(() -> redis.command("XLEN " + prefix + "queue.1:sender").equals(":4"));
    TestPeer again = TestPeer.connect(a.port(), sender, clock);
    open.add(again::disconnect);

    Set<String> answered = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      Envelope response = again.awaitEnvelope();
      assertThat(response.hasResponse()).as("a response: %s", response).isTrue();
      answered.add(response.getUid());
    }
    assertThat(answered).isEqualTo(uids);
    assertThat(redis.command("XLEN " + prefix + "queue.2")).isEqualTo(":0");
  }

  @Test
  void failFastReachesATwinConnectedToAnotherInstance() throws Exception {
    RelayServer a = instance();
    RelayServer b = instance();
    Clock clock = Clock.systemUTC();
    TestPeer bob = TestPeer.connect(b.port(), SessionKey.of(TestTwins.BOB), clock);
    TestPeer alice = TestPeer.connect(a.port(), SessionKey.of(TestTwins.ALICE), clock);
    open.add(() -> List.of(alice, bob).stream().filter(TestPeer::isOpen)
        .forEach(TestPeer::disconnect));
    await().atMost(TestPeer.PATIENCE)
        .until(() -> redis.command("EXISTS " + prefix + "session.2").equals(":1"));
    byte[] bytes = TestEnvelopes.signed(
        TestEnvelopes.request(alice.key(), bob.key(), clock).setTags("fail-fast"));

    alice.sendBytes(bytes);

    assertThat(bob.awaitBytes()).isEqualTo(bytes);
    bob.disconnect();
    await("presence withdrawn on disconnect").atMost(TestPeer.PATIENCE)
        .until(() -> redis.command("EXISTS " + prefix + "session.2").equals(":0"));
  }
}
