package io.rmb.relay.routing;

import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.envelope.ProtocolException.EnvelopeDecodeException;
import io.rmb.peer.twin.CachingTwinDirectory;
import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.proto.Envelope;
import io.rmb.relay.queue.OfflineQueue;
import io.rmb.relay.queue.QueuedEnvelope;
import io.rmb.relay.session.Session;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.stats.RelayCounters;
import io.rmb.relay.stats.RerouteResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the offline queue of a twin that left this relay to federation.
 *
 * <p>The relay queues an envelope for a session that is not connected when the directory says
 * the twin lists this relay. If the twin's operator then moves it to other relays only, its
 * peer connects there and never here again, and the queue would sit until it expires (rmb-rs
 * behaves so). The directory lags such a move (cached, a twins file re-read at most once a
 * second), so envelopes sent in that window land here. A periodic {@link #sweep()} looks at
 * every queued session:
 *
 * <ul>
 *   <li>connected here or, as the shared presence knows, to another instance of this relay (a
 *       session of the twin connected here is enough): left alone, its session drains it;
 *   <li>the twin still lists one of our domains: left alone (it may connect later);
 *   <li>the twin is unknown or lists no relay: kept, as it may come back, and counted in
 *       {@link io.rmb.relay.stats.RelayStats#strandedSessions()};
 *   <li>the twin lists only other relays: under a {@link OfflineQueue#lease lease} (one instance
 *       on a shared queue moves a session at a time), the entries are handed oldest first, one
 *       at a time, to the {@link Federator} (the same path as a live envelope for another
 *       relay) and acknowledged in the queue once accepted. Entries past their deadline are
 *       dropped and counted, never federated.
 * </ul>
 *
 * <p>Crash safety: an entry is removed only after federation accepted it, so a crash in between
 * federates it again on the next sweep (by this or another instance); the receiving relay's
 * replay filter and the peer's replay guard drop that copy. A session that connects here while
 * its queue is being moved can receive an entry both ways, deduplicated the same way.
 *
 * <p>The sweep sees a move when the directory does. A {@link CachingTwinDirectory} (tfchain or
 * a twins file behind the relay's 5-minute cache) would hide it for the cache's lifetime, so
 * the sweep drops the cached entry of each queued twin at most every {@link #REFRESH} (at most
 * {@link #MAX_REFRESHES_PER_SWEEP} per sweep; twins over that budget wait for a later sweep),
 * bounding the extra directory load.
 *
 * <p>Sweeps run on one thread of their own ({@link #start}); a sweep blocks that thread on each
 * step, never an event loop.
 */
public final class QueueRerouter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueRerouter.class);
  /** Entries read from a queue at a time. */
  static final int BATCH = 100;
  /** How long one instance may move a session's entries before another may take over. */
  static final Duration LEASE = Duration.ofSeconds(30);
  /** How often a queued twin's cached directory entry is dropped to look it up afresh. */
  static final Duration REFRESH = Duration.ofSeconds(60);
  /** Fresh lookups one sweep may cause at most. */
  static final int MAX_REFRESHES_PER_SWEEP = 50;
  /** Longest wait for one queue, directory or federation step. */
  private static final long STEP_TIMEOUT_SECONDS = 10;

  private final Set<String> domains;
  private final TwinDirectory twins;
  private final Switchboard switchboard;
  private final Federator federator;
  private final RelayCounters counters;
  private final Clock clock;
  private final Duration lease;
  private ScheduledExecutorService timer;
  /** Sweeps run one at a time; guards {@link #refreshedAt}. */
  private final Object sweeping = new Object();
  /** When each queued twin's cached entry was last dropped (millis), for twins still queued. */
  private final Map<Long, Long> refreshedAt = new HashMap<>();

  /**
   * @param domains this relay's domains, compared exactly as the {@link Router} does
   * @param switchboard the sessions and the offline queue to sweep
   * @param federator where moved entries go
   * @param counters where moved, expired and stranded entries are counted
   */
  public QueueRerouter(Set<String> domains, TwinDirectory twins, Switchboard switchboard,
      Federator federator, RelayCounters counters, Clock clock) {
    this(domains, twins, switchboard, federator, counters, clock, LEASE);
  }

  /** With a lease other than {@link #LEASE} (tests of a crashed holder). */
  QueueRerouter(Set<String> domains, TwinDirectory twins, Switchboard switchboard,
      Federator federator, RelayCounters counters, Clock clock, Duration lease) {
    this.lease = Objects.requireNonNull(lease, "lease");
    this.domains = Set.copyOf(domains);
    this.twins = Objects.requireNonNull(twins, "twins");
    this.switchboard = Objects.requireNonNull(switchboard, "switchboard");
    this.federator = Objects.requireNonNull(federator, "federator");
    this.counters = Objects.requireNonNull(counters, "counters");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * What one sweep did.
   *
   * @param sessions queued sessions it looked at
   * @param moved sessions whose entries it handed to federation
   * @param stranded sessions with entries whose twin is unknown or lists no relay (kept)
   * @param rerouted entries it handed to federation
   */
  public record Sweep(int sessions, int moved, int stranded, int rerouted) {}

  /** Sweeps every {@code interval} on a thread of its own until {@link #close()}. */
  public synchronized void start(Duration interval) {
    if (timer != null) {
      throw new IllegalStateException("re-route sweeps already started");
    }
    long millis = interval.toMillis();
    if (millis < 1) {
      throw new IllegalArgumentException("re-route interval must be positive, got " + interval);
    }
    timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "rmb-relay-reroute");
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        sweep();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        LOG.warn("re-route sweep failed", e);
      }
    }, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Looks at every queued session once and moves the queues of twins that left this relay.
   * Blocks the calling thread until done.
   */
  public Sweep sweep() throws InterruptedException {
    synchronized (sweeping) {
      return sweepOnce();
    }
  }

  private Sweep sweepOnce() throws InterruptedException {
    OfflineQueue queue = switchboard.queue();
    List<SessionKey> sessions = await(queue.queuedSessions());
    Map<Long, Optional<Twin>> found = new HashMap<>();
    int moved = 0;
    int stranded = 0;
    int rerouted = 0;
    int refreshes = 0;
    Set<Long> queuedTwins = new HashSet<>();
    for (SessionKey key : sessions) {
      queuedTwins.add(key.twin());
      if (!found.containsKey(key.twin()) && refreshes < MAX_REFRESHES_PER_SWEEP
          && refresh(key.twin())) {
        refreshes++;
      }
      // the directory first: it is cached, and most queued twins still list us, so the
      // presence (a Redis call per session) is asked only about twins that left
      Optional<Twin> twin;
      try {
        twin = found.containsKey(key.twin()) ? found.get(key.twin())
            : await(twins.get(key.twin()));
      } catch (RuntimeException e) {
        LOG.debug("re-route: cannot look twin {} up, trying next sweep: {}", key.twin(),
            e.toString());
        continue;
      }
      found.put(key.twin(), twin);
      if (twin.isEmpty() || twin.get().relays().isEmpty()) {
        // a Redis stream outlives its last entry until it expires: count live entries only
        if (!await(queue.peek(key, 1)).isEmpty()) {
          stranded++;
        }
        continue;
      }
      if (!Collections.disjoint(twin.get().relays(), domains) || connected(key)) {
        continue;
      }
      if (!await(queue.lease(key, lease))) {
        continue; // another instance is moving it
      }
      try {
        int count = move(queue, key, twin.get());
        if (count > 0) {
          moved++;
          rerouted += count;
          LOG.info("re-routed {} queued envelopes of {} to federation: twin {} now lists {}",
              count, key, key.twin(), twin.get().relays());
        }
      } finally {
        release(queue, key);
      }
    }
    refreshedAt.keySet().retainAll(queuedTwins);
    counters.strandedSessions(stranded);
    return new Sweep(sessions.size(), moved, stranded, rerouted);
  }

  /** Drops {@code twin}'s cached entry if it was not dropped within {@link #REFRESH}. */
  private boolean refresh(long twin) {
    if (!(twins instanceof CachingTwinDirectory cache)) {
      return false;
    }
    long now = clock.millis();
    Long last = refreshedAt.get(twin);
    if (last != null && now - last < REFRESH.toMillis()) {
      return false;
    }
    cache.invalidate(twin);
    refreshedAt.put(twin, now);
    return true;
  }

  private int move(OfflineQueue queue, SessionKey key, Twin twin) throws InterruptedException {
    long leaseEnds = clock.millis() + lease.toMillis() / 2;
    int rerouted = 0;
    while (clock.millis() < leaseEnds && !connected(key)) {
      List<QueuedEnvelope> batch = await(queue.peek(key, BATCH));
      if (batch.isEmpty()) {
        break;
      }
      List<QueuedEnvelope> done = new ArrayList<>(batch.size());
      boolean stopped = false;
      for (QueuedEnvelope entry : batch) {
        if (entry.expiredAt(Math.floorDiv(clock.millis(), 1000L))) {
          counters.rerouted(RerouteResult.EXPIRED);
          done.add(entry);
          continue;
        }
        Envelope envelope;
        try {
          envelope = Envelopes.decode(entry.envelope());
        } catch (EnvelopeDecodeException e) {
          LOG.warn("re-route: dropping undecodable queue entry {} of {}: {}", entry, key,
              e.getMessage());
          counters.rerouted(RerouteResult.UNDECODABLE);
          done.add(entry);
          continue;
        }
        try {
          await(federator.federate(envelope, entry.envelope(), twin));
        } catch (RuntimeException e) {
          // kept in the queue: the next sweep tries again from this entry
          LOG.warn("re-route of {}'s queue stopped, federation refused: {}", key, e.toString());
          stopped = true;
          break;
        }
        counters.rerouted(RerouteResult.REROUTED);
        rerouted++;
        done.add(entry);
      }
      await(queue.acknowledge(key, done));
      if (stopped) {
        break;
      }
    }
    return rerouted;
  }

  /** True when {@code key}, or any session of its twin, is connected to this relay. */
  private boolean connected(SessionKey key) throws InterruptedException {
    for (Session session : switchboard.registry().sessions()) {
      if (session.key().twin() == key.twin()) {
        return true;
      }
    }
    try {
      return await(switchboard.isConnectedAnywhere(key));
    } catch (RuntimeException e) {
      return true; // cannot tell: do not move a queue its session may be draining
    }
  }

  private void release(OfflineQueue queue, SessionKey key) throws InterruptedException {
    try {
      await(queue.release(key));
    } catch (RuntimeException e) {
      LOG.debug("re-route: cannot release the lease of {} (it expires): {}", key, e.toString());
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws InterruptedException {
    try {
      return stage.toCompletableFuture().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = RouteException.unwrap(e.getCause());
      throw cause instanceof RuntimeException runtime ? runtime
          : new IllegalStateException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + STEP_TIMEOUT_SECONDS + " s", e);
    }
  }

  /** Stops the sweeps; a sweep under way ends at its next step. */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
