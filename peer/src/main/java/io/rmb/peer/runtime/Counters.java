package io.rmb.peer.runtime;

import io.rmb.peer.transport.RelayStatus;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The peer's counters; cheap to bump from any thread. */
final class Counters {
  final LongAdder framesReceived = new LongAdder();
  final LongAdder requestsSent = new LongAdder();
  final LongAdder responsesSent = new LongAdder();
  final LongAdder errorsSent = new LongAdder();
  final LongAdder requestsReceived = new LongAdder();
  final LongAdder answersReceived = new LongAdder();
  final LongAdder answersUnmatched = new LongAdder();
  final LongAdder relayErrorsReceived = new LongAdder();
  final LongAdder handlerFailures = new LongAdder();
  private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);

  Counters() {
    for (DropReason reason : DropReason.values()) {
      dropped.put(reason, new LongAdder());
    }
  }

  void drop(DropReason reason) {
    dropped.get(reason).increment();
  }

  PeerStats snapshot(int pending, List<RelayStatus> relays) {
    Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
    dropped.forEach((reason, count) -> {
      long value = count.sum();
      if (value > 0) {
        drops.put(reason, value);
      }
    });
    return new PeerStats(framesReceived.sum(), requestsSent.sum(), responsesSent.sum(),
        errorsSent.sum(), requestsReceived.sum(), answersReceived.sum(), answersUnmatched.sum(),
        relayErrorsReceived.sum(), handlerFailures.sum(), pending, drops, relays);
  }
}
