package io.rmb.relay.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.relay.queue.QueueLimits;
import io.rmb.relay.redis.RedisBackend;
import io.rmb.relay.redis.RedisOfflineQueue;
import io.rmb.relay.redis.RedisOptions;
import io.rmb.relay.redis.RedisPresence;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.session.SessionRegistry;
import io.rmb.relay.stats.RelayCounters;
import io.rmb.relay.testing.TestEnvelopes;
import io.rmb.relay.testing.TestTwins;
import io.rmb.testing.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The re-route sweep on the Redis-backed queue shared by two relay instances (two
 * {@link RedisBackend}s on one real redis-server and prefix): each entry is moved by one
 * instance, a holder that dies mid-move loses nothing, a session connected to the other
 * instance is left alone. Twin 2 lists only {@link TestTwins#OTHER_DOMAIN} when the sweeps run.
 */
@Tag("integration")
class RedisRerouteIT {
  private static final SessionKey KEY = SessionKey.of(TestTwins.BOB, "s");
  private static final Twin MOVED = new Twin(TestTwins.BOB,
      TestTwins.identity(TestTwins.BOB).publicKey(), Twin.parseRelays(TestTwins.OTHER_DOMAIN),
      null);
  private static final TwinDirectory TWINS =
      id -> CompletableFuture.completedFuture(id == TestTwins.BOB ? Optional.of(MOVED)
          : Optional.empty());
  private static RedisServer redis;

  private final Clock clock = Clock.systemUTC();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<byte[]> federated = new CopyOnWriteArrayList<>();
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
  void name(TestInfo info) {
    prefix = "rr." + info.getTestMethod().orElseThrow().getName() + ".";
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** One relay instance's queue, presence and switchboard on the shared Redis. */
  private final class Instance {
    final RedisBackend backend = RedisBackend.connect(RedisOptions.builder(redis.uri())
        .prefix(prefix).build());
    final RedisOfflineQueue queue = backend.offlineQueue(QueueLimits.builder()
        .maxPerSession(10_000).idleExpiry(Duration.ofMinutes(10)).build(), clock);
    final RedisPresence presence = backend.presence();
    final Switchboard switchboard = new Switchboard(new SessionRegistry(), queue, presence);

    Instance() {
      open.add(backend);
      open.add(queue);
      open.add(presence);
    }

    QueueRerouter rerouter(Federator federator, Duration lease) {
      return new QueueRerouter(TestTwins.domains(), TWINS, switchboard, federator,
          new RelayCounters(), clock, lease);
    }

    QueueRerouter rerouter() {
      return rerouter(recording(), QueueRerouter.LEASE);
    }
  }

  private Federator recording() {
    return (envelope, bytes, twin) -> {
      federated.add(bytes);
      return CompletableFuture.completedFuture(null);
    };
  }

  private List<byte[]> queue(Instance instance, int count) {
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] bytes = TestEnvelopes.signed(TestEnvelopes.request(SessionKey.of(TestTwins.ALICE),
          KEY, clock).setExpiration(120));
      instance.queue.offer(KEY, bytes, clock.millis() / 1000 + 120).toCompletableFuture().join();
      sent.add(bytes);
    }
    return sent;
  }

  private long depth() throws Exception {
    String reply = redis.command("XLEN " + prefix + "queue." + KEY);
    return Long.parseLong(reply.substring(1));
  }

  @Test
  void twoInstancesSweepingAtOnceMoveEachEntryOnceInOrder() throws Exception {
    Instance one = new Instance();
    Instance two = new Instance();
    List<byte[]> sent = queue(one, 250);
    CountDownLatch otherSweepDone = new CountDownLatch(1);
    Federator recording = recording();
    // instance one holds the lease and waits inside its first hand-over until two has swept
    Federator held = (envelope, bytes, twin) -> {
      try {
        otherSweepDone.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return recording.federate(envelope, bytes, twin);
    };
    CompletableFuture<QueueRerouter.Sweep> first = CompletableFuture.supplyAsync(() -> {
      try {
        return one.rerouter(held, QueueRerouter.LEASE).sweep();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(20))
        .until(() -> redis.command("EXISTS " + prefix + "reroute." + KEY).equals(":1"));

    QueueRerouter.Sweep second = two.rerouter().sweep();
    otherSweepDone.countDown();

    assertThat(second.moved()).as("the lease keeps the second instance out").isZero();
    assertThat(first.get(60, TimeUnit.SECONDS).rerouted()).isEqualTo(250);
    assertThat(federated).containsExactlyElementsOf(sent);
    assertThat(depth()).isZero();
    assertThat(redis.command("EXISTS " + prefix + "reroute." + KEY))
        .as("the lease is released").isEqualTo(":0");
  }

  @Test
  void instanceDyingMidMoveLosesNothingAndRepeatsAtMostWhatItHadHandedOver() throws Exception {
    Instance dying = new Instance();
    Instance survivor = new Instance();
    List<byte[]> sent = queue(dying, 150);
    Federator recording = recording();
    int[] handed = {0};
    Federator diesAtTheTenth = (envelope, bytes, twin) -> {
      if (++handed[0] == 10) {
        dying.backend.close(); // the process is gone: nothing acknowledged, lease not released
        return CompletableFuture.failedFuture(new IllegalStateException("killed"));
      }
      return recording.federate(envelope, bytes, twin);
    };

    assertThatThrownBy(() -> dying.rerouter(diesAtTheTenth, Duration.ofSeconds(2)).sweep())
        .isInstanceOf(RuntimeException.class);
    assertThat(federated).hasSize(9);
    assertThat(depth()).as("nothing acknowledged").isEqualTo(150);
    QueueRerouter survivorSweeps = survivor.rerouter();
    await("the dead instance's lease runs out").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> survivorSweeps.sweep().moved() == 1);

    assertThat(new ArrayList<>(new LinkedHashSet<>(federated.stream()
        .map(java.nio.ByteBuffer::wrap).toList())))
        .as("every entry, in order").containsExactlyElementsOf(sent.stream()
            .map(java.nio.ByteBuffer::wrap).toList());
    assertThat(federated).as("the 9 handed over before the crash, twice; the rest once")
        .hasSize(150 + 9);
    assertThat(depth()).isZero();
  }

  @Test
  void sessionConnectedToTheOtherInstanceIsLeftAlone() throws Exception {
    Instance here = new Instance();
    Instance there = new Instance();
    List<byte[]> sent = queue(here, 3);
    there.presence.connected(KEY);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> redis.command("EXISTS " + there.presence.presenceKey(KEY)).equals(":1"));

    assertThat(here.rerouter().sweep().moved()).isZero();
    assertThat(federated).isEmpty();
    assertThat(depth()).isEqualTo(3);

    there.presence.disconnected(KEY);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> redis.command("EXISTS " + there.presence.presenceKey(KEY)).equals(":0"));
    here.rerouter().sweep();
    assertThat(federated).containsExactlyElementsOf(sent);
    assertThat(depth()).isZero();
  }

  @Test
  void unknownTwinKeepsItsStreamAndCountsAsStrandedOnlyWhileItHoldsEntries() throws Exception {
    Instance here = new Instance();
    SessionKey unknown = SessionKey.of(TestTwins.EVE); // TWINS knows twin 2 only
    here.queue.offer(unknown, new byte[] {1}, clock.millis() / 1000 + 120)
        .toCompletableFuture().join();

    assertThat(here.rerouter().sweep().stranded()).isEqualTo(1);
    assertThat(federated).isEmpty();

    var entries = here.queue.peek(unknown, 10).toCompletableFuture().join();
    here.queue.acknowledge(unknown, entries).toCompletableFuture().join();
    assertThat(redis.command("EXISTS " + here.queue.streamKey(unknown)))
        .as("an emptied stream stays until it expires").isEqualTo(":1");
    assertThat(here.rerouter().sweep().stranded()).isZero();
  }
}
