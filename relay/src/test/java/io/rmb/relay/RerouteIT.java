package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.relay.federation.FederationOptions;
import io.rmb.relay.redis.RedisOptions;
import io.rmb.relay.routing.RouteOutcome;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.stats.DropReason;
import io.rmb.relay.stats.RerouteResult;
import io.rmb.relay.testing.TestEnvelopes;
import io.rmb.relay.testing.TestPeer;
import io.rmb.relay.testing.Twins;
import io.rmb.testing.RedisServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's "twin that leaves a relay with envelopes queued", with real relays federating over
 * HTTP on loopback: twin 1 sends to twin 2 through relay A while the directory lists A for
 * twin 2 and twin 2 is offline, so relay A queues; then twin 2's entry changes to relay B only
 * and twin 2 connects to B. Relay A's re-route sweep must federate every live envelope to B
 * (each delivered once) and none past its deadline.
 *
 * <p>Each relay reads its own copy of the twins file, and relay B's is changed (and seen)
 * first: relay B refuses federation for a twin its directory does not give it (400), so this
 * test, like an operator, lets the new relay know the twin before the old one does.
 */
@Tag("integration")
class RerouteIT {
  private static final String A = "a.test";
  private static final String B = "b.test";
  private static final SessionKey SENDER = SessionKey.of(1, "s");
  private static final SessionKey X = SessionKey.of(2);
  private static final int LIVE = 20;
  private static final int SHORT = 5;

  @TempDir Path dir;
  private static RedisServer redis;
  private final Map<String, Integer> ports = new ConcurrentHashMap<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Path> twins = new ConcurrentHashMap<>();
  private final Map<String, FileTwinDirectory> directories = new ConcurrentHashMap<>();
  private String prefix;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void setUp(TestInfo info) throws Exception {
    prefix = "rr." + info.getTestMethod().orElseThrow().getName() + ".";
    for (String domain : List.of(A, B)) {
      twins.put(domain, Twins.write(Files.createDirectories(dir.resolve(domain)),
          Map.of(1L, A, 2L, A)).file());
    }
    ports.put(A, Twins.freePort());
    ports.put(B, Twins.freePort());
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** A relay on its own lagging directory (the twins file, re-read at most once a second). */
  private RelayServer relay(String domain, int port, boolean withRedis) {
    FileTwinDirectory directory = new FileTwinDirectory(twins.get(domain));
    directories.put(domain, directory);
    RelayOptions.Builder options = RelayOptions.builder().listen("127.0.0.1", port)
        .domain(domain).twins(directory).shutdownTimeout(Duration.ZERO)
        .federation(FederationOptions.builder().scheme("http").workers(2)
            .retryDelay(Duration.ofMillis(200), Duration.ofSeconds(1))
            .rerouteInterval(Duration.ofMillis(300))
            .endpoints(d -> URI.create("http://127.0.0.1:" + ports.getOrDefault(d, 1) + "/"))
            .build());
    if (withRedis) {
      options.redis(RedisOptions.builder(redis.uri()).prefix(prefix).build());
    }
    RelayServer relay = RelayServer.start(options.build());
    open.add(relay);
    return relay;
  }

  private TestPeer peer(int port, SessionKey key) {
    TestPeer peer = TestPeer.connect(port, key, clock);
    open.add(() -> {
      if (peer.isOpen()) {
        peer.disconnect();
      }
    });
    return peer;
  }

  /** Twin 2 lists only relay B in {@code domain}'s file, written atomically. */
  private void moveTwin2ToB(String domain) throws Exception {
    Path staging = Files.createDirectories(dir.resolve("staging"));
    Path next = Twins.write(staging, Map.of(1L, A, 2L, B)).file();
    Files.move(next, twins.get(domain), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void inMemoryQueueOfATwinThatMovedIsFederatedToItsNewRelay() throws Exception {
    RelayServer a = relay(A, ports.get(A), false);
    check(List.of(a), a);
  }

  @Test
  void redisQueueSharedByTwoInstancesIsFederatedOnce() throws Exception {
    RelayServer a1 = relay(A, ports.get(A), true);
    RelayServer a2 = relay(A, Twins.freePort(), true);
    check(List.of(a1, a2), a1);
  }

  private void check(List<RelayServer> relayA, RelayServer entry) throws Exception {
    relay(B, ports.get(B), false);
    TestPeer sender = peer(entry.port(), SENDER);
    List<ByteBuffer> live = new ArrayList<>();
    long lastShortDeadline = 0;
    for (int i = 0; i < LIVE + SHORT; i++) {
      boolean shortLived = i % 5 == 2;
      int ttl = shortLived ? 2 : 120;
      byte[] request = TestEnvelopes.signed(TestEnvelopes.request(SENDER, X, clock)
          .setExpiration(ttl));
      if (shortLived) {
        lastShortDeadline = clock.millis() / 1000 + ttl;
      } else {
        live.add(ByteBuffer.wrap(request));
      }
      sender.sendBytes(request);
    }
    await("relay A queued all for the offline twin").atMost(Duration.ofSeconds(20))
        .until(() -> entry.stats().routed(RouteOutcome.QUEUED) == LIVE + SHORT);
    long expiredBy = lastShortDeadline;
    await("the short-lived ones are past their deadline").atMost(Duration.ofSeconds(10))
        .until(() -> clock.millis() / 1000 > expiredBy);

    moveTwin2ToB(B);
    await("relay B knows twin 2 is its own").atMost(Duration.ofSeconds(10)).until(() ->
        directories.get(B).get(2).join().orElseThrow().relays().equals(Set.of(B)));
    TestPeer x = peer(ports.get(B), X);
    moveTwin2ToB(A);

    List<ByteBuffer> received = new ArrayList<>();
    while (received.size() < LIVE) {
      received.add(ByteBuffer.wrap(x.awaitBytes()));
    }
    // at least once each: an instance whose directory still lists A for twin 2 queues what it
    // takes from federation again, and a later sweep hands it over once more
    await("relay A counted them").atMost(Duration.ofSeconds(20)).until(() -> relayA.stream()
        .mapToLong(r -> r.stats().rerouted(RerouteResult.REROUTED)).sum() >= LIVE);
    // nothing else queued or in flight for twin 2: the round trip to itself comes back alone
    assertThat(x.drainUntilSync()).isEmpty();
    // handed to federation in order, but its workers post concurrently (as for any envelope
    // federated live), so the order of arrival is not the order sent
    assertThat(received).as("every live envelope once").containsExactlyInAnyOrderElementsOf(live);
    assertThat(relayA.stream().mapToLong(r -> r.stats().dropped(DropReason.EXPIRED)
        + r.stats().rerouted(RerouteResult.EXPIRED)).sum())
        .as("the short-lived ones dropped and counted").isEqualTo(SHORT);
  }
}
