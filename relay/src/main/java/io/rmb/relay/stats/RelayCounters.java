package io.rmb.relay.stats;

import io.rmb.relay.queue.QueueStats;
import io.rmb.relay.routing.RouteFailure;
import io.rmb.relay.routing.RouteOutcome;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The relay's live counters: {@link LongAdder}s, cheap to bump from any event loop.
 *
 * <p>The relay owns one instance; {@link #snapshot(long, QueueStats)} turns it into a
 * {@link RelayStats}. Gauges that other components already know (open sessions, queue depth)
 * are not duplicated here but passed into the snapshot.
 */
public final class RelayCounters {
  private final LongAdder connectionsOpen = new LongAdder();
  private final LongAdder connectionsAccepted = new LongAdder();
  private final LongAdder sessionsOpened = new LongAdder();
  private final LongAdder sessionsReplaced = new LongAdder();
  private final LongAdder upgradesRejected = new LongAdder();
  private final LongAdder protocolCloses = new LongAdder();
  private final LongAdder framesIn = new LongAdder();
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder framesOut = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private final LongAdder errorsSent = new LongAdder();
  private final LongAdder rateLimited = new LongAdder();
  private final LongAdder pingTimeouts = new LongAdder();
  private final EnumMap<RouteOutcome, LongAdder> routed = adders(RouteOutcome.class);
  private final EnumMap<RouteFailure, LongAdder> refused = adders(RouteFailure.class);
  private final EnumMap<DropReason, LongAdder> drops = adders(DropReason.class);
  private final EnumMap<RerouteResult, LongAdder> rerouted = adders(RerouteResult.class);
  private volatile long strandedSessions;

  public void connectionOpened() {
    connectionsOpen.increment();
    connectionsAccepted.increment();
  }

  public void connectionClosed() {
    connectionsOpen.decrement();
  }

  public void sessionOpened() {
    sessionsOpened.increment();
  }

  public void sessionReplaced() {
    sessionsReplaced.increment();
  }

  public void upgradeRejected() {
    upgradesRejected.increment();
  }

  public void protocolClose() {
    protocolCloses.increment();
  }

  public void frameIn(int bytes) {
    framesIn.increment();
    bytesIn.add(bytes);
  }

  public void frameOut(int bytes) {
    framesOut.increment();
    bytesOut.add(bytes);
  }

  public void errorSent() {
    errorsSent.increment();
  }

  /** A WebSocket client closed because it did not answer a ping in time. */
  public void pingTimeout() {
    pingTimeouts.increment();
  }

  /** WebSocket clients closed so far because they did not answer a ping in time. */
  public long pingTimeouts() {
    return pingTimeouts.sum();
  }

  /** An envelope refused by the rate limiter. */
  public void rateLimited() {
    rateLimited.increment();
  }

  public void routed(RouteOutcome outcome) {
    routed.get(outcome).increment();
  }

  public void refused(RouteFailure failure) {
    refused.get(failure).increment();
  }

  public void dropped(DropReason reason) {
    drops.get(reason).increment();
  }

  /** An envelope the re-route sweep took from the offline queue. */
  public void rerouted(RerouteResult result) {
    rerouted.get(result).increment();
  }

  /** How many queued sessions the last re-route sweep found stranded (twin gone or relay-less). */
  public void strandedSessions(long sessions) {
    strandedSessions = sessions;
  }

  /**
   * A snapshot of these counters together with the given gauges and queue statistics; the
   * queue's drops are added to the relay's under the matching {@link DropReason}.
   */
  public RelayStats snapshot(long sessionsOpen, QueueStats queue) {
    Map<DropReason, Long> dropped = sums(drops);
    dropped.merge(DropReason.QUEUE_FULL, queue.droppedFull(), Long::sum);
    dropped.merge(DropReason.QUEUE_IDLE, queue.droppedIdle(), Long::sum);
    dropped.merge(DropReason.EXPIRED, queue.droppedExpired(), Long::sum);
    return new RelayStats(
        connectionsOpen.sum(),
        connectionsAccepted.sum(),
        sessionsOpen,
        sessionsOpened.sum(),
        sessionsReplaced.sum(),
        upgradesRejected.sum(),
        protocolCloses.sum(),
        framesIn.sum(),
        bytesIn.sum(),
        framesOut.sum(),
        bytesOut.sum(),
        errorsSent.sum(),
        rateLimited.sum(),
        pingTimeouts.sum(),
        sums(routed),
        sums(refused),
        dropped,
        queue.depth(),
        queue.sessions(),
        sums(rerouted),
        strandedSessions);
  }

  private static <E extends Enum<E>> EnumMap<E, LongAdder> adders(Class<E> type) {
    EnumMap<E, LongAdder> map = new EnumMap<>(type);
    for (E value : type.getEnumConstants()) {
      map.put(value, new LongAdder());
    }
    return map;
  }

  private static <E extends Enum<E>> Map<E, Long> sums(EnumMap<E, LongAdder> adders) {
    Map<E, Long> sums = new EnumMap<>(adders.keySet().iterator().next().getDeclaringClass());
    adders.forEach((key, adder) -> sums.put(key, adder.sum()));
    return sums;
  }
}
