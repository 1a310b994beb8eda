package io.rmb.relay.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.peer.twin.CachingTwinDirectory;
import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.relay.queue.InMemoryOfflineQueue;
import io.rmb.relay.queue.QueueLimits;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.session.SessionRegistry;
import io.rmb.relay.stats.RelayCounters;
import io.rmb.relay.stats.RelayStats;
import io.rmb.relay.stats.RerouteResult;
import io.rmb.relay.testing.MutableClock;
import io.rmb.relay.testing.RecordingSession;
import io.rmb.relay.testing.TestEnvelopes;
import io.rmb.relay.testing.TestTwins;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The re-route sweep over the real in-memory queue and switchboard: twin 7 was on
 * {@link TestTwins#DOMAIN} (ours) when its envelopes were queued; the tests change its directory
 * entry and sweep. The federator records what it is handed (real federation: RerouteIT).
 */
class QueueRerouterTest {
  private static final long X = TestTwins.BOB;
  private static final SessionKey KEY = SessionKey.of(X, "s");

  private final MutableClock clock = MutableClock.system();
  private final InMemoryOfflineQueue queue = new InMemoryOfflineQueue(
      QueueLimits.builder().maxPerSession(1000).idleExpiry(Duration.ofHours(1)).build(), clock);
  private final SessionRegistry registry = new SessionRegistry();
  private final Switchboard switchboard = new Switchboard(registry, queue);
  private final Map<Long, Twin> directory = new ConcurrentHashMap<>();
  private final TwinDirectory twins =
      id -> CompletableFuture.completedFuture(Optional.ofNullable(directory.get(id)));
  private final List<byte[]> federated = new CopyOnWriteArrayList<>();
  private final RelayCounters counters = new RelayCounters();
  private Federator federator = (envelope, bytes, twin) -> {
    federated.add(bytes);
    return CompletableFuture.completedFuture(null);
  };

  private QueueRerouter rerouter() {
    return rerouter(twins);
  }

  private QueueRerouter rerouter(TwinDirectory directory) {
    return new QueueRerouter(TestTwins.domains(), directory, switchboard,
        (envelope, bytes, twin) -> federator.federate(envelope, bytes, twin), counters, clock);
  }

  private void list(long twin, String relays) {
    directory.put(twin, new Twin(twin, TestTwins.identity(twin).publicKey(),
        Twin.parseRelays(relays), null));
  }

  /** Queues a signed request for {@code key} with {@code ttl} seconds, as the router would. */
  private byte[] queued(SessionKey key, int ttl) {
    byte[] bytes = TestEnvelopes.signed(TestEnvelopes.request(SessionKey.of(TestTwins.ALICE),
        key, clock).setExpiration(ttl));
    queue.offer(key, bytes, clock.seconds() + ttl).toCompletableFuture().join();
    return bytes;
  }

  private RelayStats stats() {
    return counters.snapshot(registry.size(), queue.stats());
  }

  @Test
  void queueOfATwinThatMovedToAnotherRelayIsFederatedInOrderOnceAndRemoved() throws Exception {
    byte[] first = queued(KEY, 60);
    byte[] second = queued(KEY, 60);
    byte[] third = queued(KEY, 60);
    list(X, TestTwins.OTHER_DOMAIN);

    QueueRerouter.Sweep sweep = rerouter().sweep();

    assertThat(federated).containsExactly(first, second, third);
    assertThat(queue.size(KEY)).isZero();
    assertThat(sweep).isEqualTo(new QueueRerouter.Sweep(1, 1, 0, 3));
    assertThat(stats().rerouted(RerouteResult.REROUTED)).isEqualTo(3);
    assertThat(rerouter().sweep().rerouted()).as("a second sweep finds nothing").isZero();
    assertThat(federated).hasSize(3);
  }

  @Test
  void moreEntriesThanOneBatchAllGoInOrder() throws Exception {
    List<byte[]> sent = new java.util.ArrayList<>();
    for (int i = 0; i < QueueRerouter.BATCH * 2 + 5; i++) {
      sent.add(queued(KEY, 60));
    }
    list(X, TestTwins.OTHER_DOMAIN);

    rerouter().sweep();

    assertThat(federated).containsExactlyElementsOf(sent);
  }

  @Test
  void twinThatStillListsThisRelayKeepsItsQueue() throws Exception {
    queued(KEY, 60);
    list(X, TestTwins.OTHER_DOMAIN + "_" + TestTwins.DOMAIN);

    rerouter().sweep();

    assertThat(federated).isEmpty();
    assertThat(queue.size(KEY)).isEqualTo(1);
  }

  @Test
  void neverWhileASessionOfTheTwinIsConnectedHere() throws Exception {
    queued(KEY, 60);
    list(X, TestTwins.OTHER_DOMAIN);
    // another session of the same twin: the twin evidently still uses this relay
    registry.register(new RecordingSession(SessionKey.of(X, "other")));

    rerouter().sweep();

    assertThat(federated).isEmpty();
    assertThat(queue.size(KEY)).isEqualTo(1);
  }

  @Test
  void unknownOrRelayLessTwinKeepsItsQueueAndIsCountedStranded() throws Exception {
    SessionKey gone = SessionKey.of(TestTwins.EVE);
    queued(KEY, 60);
    queued(gone, 60);
    list(X, null);

    QueueRerouter.Sweep sweep = rerouter().sweep();

    assertThat(federated).isEmpty();
    assertThat(queue.size(KEY)).isEqualTo(1);
    assertThat(queue.size(gone)).isEqualTo(1);
    assertThat(sweep.stranded()).isEqualTo(2);
    assertThat(stats().strandedSessions()).isEqualTo(2);

    list(X, TestTwins.DOMAIN);
    rerouter().sweep();
    assertThat(stats().strandedSessions()).as("a gauge of the last sweep").isEqualTo(1);
  }

  @Test
  void expiredEntriesAreDroppedAndCountedNeverFederated() throws Exception {
    queued(KEY, 5);
    byte[] live = queued(KEY, 60);
    byte[] expiresDuringHandOver = queued(KEY, 20);
    byte[] last = queued(KEY, 60);
    list(X, TestTwins.OTHER_DOMAIN);
    clock.advance(Duration.ofSeconds(10));
    Federator accept = federator;
    federator = (envelope, bytes, twin) -> {
      if (bytes == live) {
        clock.advance(Duration.ofSeconds(15)); // a slow hand-over: the next one is now past due
      }
      return accept.federate(envelope, bytes, twin);
    };

    rerouter().sweep();

    assertThat(federated).containsExactly(live, last);
    assertThat(federated).doesNotContain(expiresDuringHandOver);
    assertThat(queue.size(KEY)).isZero();
    assertThat(queue.stats().droppedExpired()).as("met by the queue's peek").isEqualTo(1);
    assertThat(stats().rerouted(RerouteResult.EXPIRED)).as("met at hand-over").isEqualTo(1);
    assertThat(stats().rerouted(RerouteResult.REROUTED)).isEqualTo(2);
  }

  @Test
  void refusedFederationKeepsTheRestForTheNextSweep() throws Exception {
    byte[] first = queued(KEY, 60);
    byte[] second = queued(KEY, 60);
    byte[] third = queued(KEY, 60);
    list(X, TestTwins.OTHER_DOMAIN);
    Federator accept = federator;
    federator = (envelope, bytes, twin) -> bytes == second
        ? CompletableFuture.failedFuture(new RouteException(RouteFailure.INTERNAL))
        : accept.federate(envelope, bytes, twin);

    rerouter().sweep();

    assertThat(federated).containsExactly(first);
    assertThat(queue.size(KEY)).isEqualTo(2);

    federator = accept;
    rerouter().sweep();

    assertThat(federated).containsExactly(first, second, third);
    assertThat(queue.size(KEY)).isZero();
  }

  @Test
  void cachedDirectoryEntryOfAQueuedTwinIsRefreshedLongBeforeTheCacheExpires() throws Exception {
    CachingTwinDirectory cached = new CachingTwinDirectory(twins, Duration.ofMinutes(5), clock);
    QueueRerouter rerouter = rerouter(cached);
    list(X, TestTwins.DOMAIN);
    byte[] bytes = queued(KEY, 300);
    rerouter.sweep(); // caches "twin X lists us"
    list(X, TestTwins.OTHER_DOMAIN);

    clock.advance(Duration.ofSeconds(10));
    rerouter.sweep();
    assertThat(federated).as("within the refresh period the cached entry stands").isEmpty();

    clock.advance(QueueRerouter.REFRESH);
    rerouter.sweep();
    assertThat(federated).as("refreshed after %s, not after the cache's 5 minutes",
        QueueRerouter.REFRESH).containsExactly(bytes);
  }
}
