package io.rmb.relay.stats;

import io.rmb.relay.routing.RouteFailure;
import io.rmb.relay.routing.RouteOutcome;
import java.util.Map;

/**
 * An immutable snapshot of the relay's counters and gauges (see {@link RelayCounters}).
 *
 * <p>Gauges: {@code connectionsOpen}, {@code sessionsOpen}, {@code queueDepth},
 * {@code queuedSessions}. Everything else is a counter that only grows. The maps hold every
 * enum constant (zero when nothing happened).
 *
 * @param connectionsOpen TCP connections open now, HTTP and WebSocket (gauge)
 * @param connectionsAccepted TCP connections accepted (counter)
 * @param sessionsOpen WebSocket sessions registered now (gauge)
 * @param sessionsOpened WebSocket upgrades accepted (token valid, handshake answered) (counter)
 * @param sessionsReplaced sessions closed because a newer connection took their key (counter)
 * @param upgradesRejected WebSocket upgrades refused with 400, 401 or 500 (counter)
 * @param protocolCloses connections closed for a text frame or an undecodable envelope
 *     (counter)
 * @param framesIn binary frames received from sessions (counter)
 * @param bytesIn bytes of those frames' payloads (counter)
 * @param framesOut binary frames written to sessions (counter)
 * @param bytesOut bytes of those frames' payloads (counter)
 * @param errorsSent relay error envelopes sent back to senders (counter)
 * @param rateLimited envelopes refused by the rate limiter (counter)
 * @param pingTimeouts WebSocket clients closed (1001) for not answering a keep-alive ping in
 *     time (counter)
 * @param routed envelopes routed, by outcome (counters)
 * @param refused envelopes refused, by reason (counters)
 * @param drops envelopes lost without an answer, by reason, relay and offline queue together
 *     (counters)
 * @param queueDepth envelopes in the offline queue now (gauge)
 * @param queuedSessions sessions with queued envelopes now (gauge)
 * @param rerouted envelopes the re-route sweep took from the queues of twins that left this
 *     relay, by result (counters)
 * @param strandedSessions queued sessions whose twin, at the last sweep, was unknown or listed
 *     no relay: kept, as the twin may come back (gauge)
 */
public record RelayStats(
    long connectionsOpen,
    long connectionsAccepted,
    long sessionsOpen,
    long sessionsOpened,
    long sessionsReplaced,
    long upgradesRejected,
    long protocolCloses,
    long framesIn,
    long bytesIn,
    long framesOut,
    long bytesOut,
    long errorsSent,
    long rateLimited,
    long pingTimeouts,
    Map<RouteOutcome, Long> routed,
    Map<RouteFailure, Long> refused,
    Map<DropReason, Long> drops,
    long queueDepth,
    long queuedSessions,
    Map<RerouteResult, Long> rerouted,
    long strandedSessions) {

  public RelayStats {
    rerouted = Map.copyOf(rerouted);
    routed = Map.copyOf(routed);
    refused = Map.copyOf(refused);
    drops = Map.copyOf(drops);
  }

  /** Envelopes routed with {@code outcome}. */
  public long routed(RouteOutcome outcome) {
    return routed.getOrDefault(outcome, 0L);
  }

  /** Envelopes refused for {@code failure}. */
  public long refused(RouteFailure failure) {
    return refused.getOrDefault(failure, 0L);
  }

  /** Envelopes the re-route sweep took from the queue with {@code result}. */
  public long rerouted(RerouteResult result) {
    return rerouted.getOrDefault(result, 0L);
  }

  /** Envelopes dropped for {@code reason}. */
  public long dropped(DropReason reason) {
    return drops.getOrDefault(reason, 0L);
  }
}
