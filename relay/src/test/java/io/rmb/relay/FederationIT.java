package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.OutgoingRequest;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.proto.Envelope;
import io.rmb.relay.federation.FederationOptions;
import io.rmb.relay.federation.HttpFederator;
import io.rmb.relay.redis.RedisOptions;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.testing.TestEnvelopes;
import io.rmb.relay.testing.TestPeer;
import io.rmb.relay.testing.TestTwins;
import io.rmb.relay.testing.Twins;
import io.rmb.testing.RedisServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relays on different domains federating over plain HTTP on loopback: r1 (on Redis) hosts
 * twin 1, r2 (in memory) hosts twin 2; twin 3 lists a relay that always answers 404 before r2.
 * Domains map to loopback ports through {@link FederationOptions.Builder#endpoints}.
 */
@Tag("integration")
class FederationIT {
  private static final String R1 = "r1.test";
  private static final String R2 = "r2.test";
  private static final String DEAD = "dead.test";
  private static final Duration TTL = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private static RedisServer redis;
  private static Twins twins;
  private static HttpServer dead;
  private static final AtomicInteger DEAD_HITS = new AtomicInteger();

  private final Map<String, Integer> ports = new ConcurrentHashMap<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final Clock clock = Clock.systemUTC();
  private String prefix;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    twins = Twins.write(dir, Map.of(1L, R1, 2L, R2, 3L, DEAD + "_" + R2));
    dead = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    dead.createContext("/", exchange -> {
      DEAD_HITS.incrementAndGet();
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    dead.start();
  }

  @AfterAll
  static void stop() {
    dead.stop(0);
    redis.close();
  }

  @BeforeEach
  void setUp(TestInfo info) {
    prefix = "fed." + info.getTestMethod().orElseThrow().getName() + ".";
    ports.put(R1, Twins.freePort());
    ports.put(R2, Twins.freePort());
    ports.put(DEAD, dead.getAddress().getPort());
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private RelayServer relay(String domain, boolean withRedis) {
    RelayOptions.Builder options = RelayOptions.builder()
        .listen("127.0.0.1", ports.get(domain)).domain(domain).twinsFile(twins.file())
        .shutdownTimeout(Duration.ZERO)
        .federation(FederationOptions.builder().scheme("http").workers(2)
            .retryDelay(Duration.ofMillis(200), Duration.ofSeconds(1))
            .endpoints(d -> URI.create("http://127.0.0.1:" + ports.getOrDefault(d, 1) + "/"))
            .build());
    if (withRedis) {
      options.redis(RedisOptions.builder(redis.uri()).prefix(prefix)
          .claimIdle(Duration.ofSeconds(1)).build());
    }
    RelayServer relay = RelayServer.start(options.build());
    open.add(relay);
    return relay;
  }

  private <T extends AutoCloseable> T track(T closeable) {
    open.add(closeable);
    return closeable;
  }

  private TestPeer testPeer(int port, SessionKey key) {
    TestPeer peer = TestPeer.connect(port, key, clock);
    open.add(() -> {
      if (peer.isOpen()) {
        peer.disconnect();
      }
    });
    return peer;
  }

  /** The consumer count of the federation group (XINFO GROUPS, read raw). */
  private static long consumers(String stream) throws Exception {
    String reply = redis.command("EVAL \"return redis.call('xinfo','groups',KEYS[1])[1][4]\" 1 "
        + stream);
    return Long.parseLong(reply.substring(1));
  }

  private static Outcome echo(RmbPeer from, long to, String text) throws Exception {
    return from.request(List.of(to), "echo", text.getBytes(StandardCharsets.UTF_8), TTL)
        .outcome(to).get(30, TimeUnit.SECONDS);
  }

  private static void assertResponse(Outcome outcome, String text) {
    assertThat(outcome).isInstanceOfSatisfying(Outcome.Response.class,
        response -> assertThat(response.payloadText()).isEqualTo(text));
  }

  @Test
  void twinsOnDifferentRelaysTalkBothWays() throws Exception {
    relay(R1, true);
    relay(R2, false);
    RmbPeer one = track(twins.echo(1, Twins.ws(ports.get(R1))));
    RmbPeer two = track(twins.echo(2, Twins.ws(ports.get(R2))));
    await().atMost(Duration.ofSeconds(20)).until(() -> one.isConnected() && two.isConnected());

    assertResponse(echo(one, 2, "one to two"), "one to two");
    assertResponse(echo(two, 1, "two to one"), "two to one");
  }

  @Test
  void failFast404FromOneRelayStillTriesTheTwinsOtherRelays() throws Exception {
    relay(R1, false);
    relay(R2, false);
    RmbPeer one = track(twins.peer(1, Twins.ws(ports.get(R1))).start());
    track(twins.echo(3, Twins.ws(ports.get(R2))));
    await().atMost(Duration.ofSeconds(20)).until(one::isConnected);
    int hits = DEAD_HITS.get();

    Outcome outcome = one.request(OutgoingRequest.builder().destinations(3).command("echo")
        .payload("fast").ttl(TTL).tags("fail-fast").build()).outcome(3).get(30, TimeUnit.SECONDS);

    assertResponse(outcome, "fast");
    assertThat(DEAD_HITS.get()).as("the 404 relay was asked first").isGreaterThan(hits);
  }

  @Test
  void relayDownForAWhileGetsItsMessagesWhenBackBeforeTheDeadline() throws Exception {
    RelayServer r1 = relay(R1, false);
    RmbPeer one = track(twins.peer(1, Twins.ws(ports.get(R1))).start());
    await().atMost(Duration.ofSeconds(20)).until(one::isConnected);

    var pending = one.request(List.of(2L), "echo", "late".getBytes(StandardCharsets.UTF_8), TTL)
        .outcome(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> r1.scrapeMetrics().contains(
        "rmb_relay_federation_posts_total{relay=\"r2.test\",result=\"unavailable\"}"));
    relay(R2, false);
    track(twins.echo(2, Twins.ws(ports.get(R2))));

    assertResponse(pending.get(30, TimeUnit.SECONDS), "late");
  }

  @Test
  void senderGetsAnErrorWhenNoRelayTookItBeforeTheDeadline() {
    relay(R1, false);
    TestPeer alice = testPeer(ports.get(R1), SessionKey.of(1, "s"));
    Envelope request = TestEnvelopes.request(alice.key(), SessionKey.of(2), clock)
        .setExpiration(3).build();

    alice.sendBytes(TestEnvelopes.signed(request.toBuilder()));

    Envelope error = alice.awaitEnvelope();
    assertThat(Envelopes.isRelayError(error)).isTrue();
    assertThat(error.getUid()).isEqualTo(request.getUid());
    assertThat(error.getError().getMessage()).isEqualTo(HttpFederator.EXPIRED);
  }

  @Test
  void pendingFederationSurvivesARestartOfTheRelayOnRedis() throws Exception {
    RelayServer r1 = relay(R1, true);
    TestPeer alice = testPeer(ports.get(R1), SessionKey.of(1, "s"));
    byte[] request = TestEnvelopes.signed(TestEnvelopes.request(alice.key(), SessionKey.of(2),
        clock).setExpiration(60));
    alice.sendBytes(request);
    String stream = prefix + "federation";
    await().atMost(Duration.ofSeconds(10))
        .until(() -> redis.command("XLEN " + stream).equals(":1"));

    r1.close();
    relay(R1, true);
    relay(R2, false);
    TestPeer bob = testPeer(ports.get(R2), SessionKey.of(2));

    assertThat(bob.awaitBytes()).isEqualTo(request);
    await("settled entries are deleted").atMost(Duration.ofSeconds(10))
        .until(() -> redis.command("XLEN " + stream).equals(":0"));
    await("the stopped instance's consumer is forgotten").atMost(Duration.ofSeconds(10))
        .until(() -> consumers(stream) == 1);
    closeAll();
    open.clear();
    assertThat(consumers(stream)).as("an idle consumer is removed on close").isZero();
  }
}
