package io.rmb.peer.runtime;

import io.rmb.peer.transport.RelayStatus;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the peer's counters, for monitoring and tests (a metrics binding comes later).
 *
 * @param framesReceived frames read from all relays
 * @param requestsSent request envelopes handed to a relay (one per destination)
 * @param responsesSent response envelopes handed to a relay
 * @param errorsSent error envelopes handed to a relay (handler and protocol errors)
 * @param requestsReceived verified requests given to a handler
 * @param answersReceived verified responses and errors matched to a waiting request
 * @param answersUnmatched answers for no waiting request handed to the
 *     {@link RmbPeer#onUnmatchedAnswer unmatched-answer listener}
 * @param relayErrorsReceived unsigned error envelopes from relays
 * @param handlerFailures handlers that threw or failed (answered with code 0)
 * @param pendingRequests requests with at least one destination still open
 * @param dropped drops by reason; reasons never seen are absent
 * @param relays one status per relay connection
 */
public record PeerStats(long framesReceived, long requestsSent, long responsesSent,
    long errorsSent, long requestsReceived, long answersReceived, long answersUnmatched,
    long relayErrorsReceived,
    long handlerFailures, int pendingRequests, Map<DropReason, Long> dropped,
    List<RelayStatus> relays) {

  public PeerStats {
    dropped = Map.copyOf(dropped);
    relays = List.copyOf(relays);
  }

  /** Drops for {@code reason}, 0 if none. */
  public long dropped(DropReason reason) {
    return dropped.getOrDefault(reason, 0L);
  }

  /**
   * Frames offered again after a relay connection dropped, over all relays (see
   * {@link io.rmb.peer.transport.RelayOptions#resendWindow()}).
   */
  public long framesResent() {
    return relays.stream().mapToLong(RelayStatus::framesResent).sum();
  }

  /** Frames the resend windows' bounds forgot while still inside the window, over all relays. */
  public long resendForgotten() {
    return relays.stream().mapToLong(RelayStatus::resendForgotten).sum();
  }

  /** Drops over all reasons. */
  public long droppedTotal() {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }
}
