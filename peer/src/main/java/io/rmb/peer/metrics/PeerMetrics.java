package io.rmb.peer.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rmb.peer.runtime.DropReason;
import io.rmb.peer.runtime.PeerStats;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.transport.RelayState;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Binds an {@link RmbPeer}'s counters to a Micrometer registry, read on scrape (no hot-path
 * cost). Meter names start with {@code rmb.peer.}; every meter carries the tag {@code twin}.
 * In Prometheus format: {@code rmb_peer_requests_sent_total}, {@code rmb_peer_dropped_total
 * {reason="duplicate"}}, {@code rmb_peer_pending_requests}, {@code rmb_peer_relays_connected}.
 */
public final class PeerMetrics implements MeterBinder {
  private final Supplier<PeerStats> stats;
  private final Tags tags;

  /** Binds {@code peer}'s stats, tagged with its twin id and any extra {@code tags}. */
  public PeerMetrics(RmbPeer peer, Tags tags) {
    this(Objects.requireNonNull(peer, "peer")::stats,
        Tags.of("twin", Long.toString(peer.twin())).and(tags));
  }

  PeerMetrics(Supplier<PeerStats> stats, Tags tags) {
    this.stats = Objects.requireNonNull(stats, "stats");
    this.tags = Objects.requireNonNull(tags, "tags");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "rmb.peer.frames.received", "frames read from all relays",
        PeerStats::framesReceived);
    counter(registry, "rmb.peer.requests.sent", "request envelopes handed to a relay",
        PeerStats::requestsSent);
    counter(registry, "rmb.peer.responses.sent", "response envelopes handed to a relay",
        PeerStats::responsesSent);
    counter(registry, "rmb.peer.errors.sent", "error envelopes handed to a relay",
        PeerStats::errorsSent);
    counter(registry, "rmb.peer.requests.received", "verified requests given to a handler",
        PeerStats::requestsReceived);
    counter(registry, "rmb.peer.answers.received", "answers matched to a waiting request",
        PeerStats::answersReceived);
    counter(registry, "rmb.peer.answers.unmatched",
        "answers for no waiting request handed to the bridge", PeerStats::answersUnmatched);
    counter(registry, "rmb.peer.relay.errors.received", "unsigned error envelopes from relays",
        PeerStats::relayErrorsReceived);
    counter(registry, "rmb.peer.handler.failures", "handlers that threw or failed",
        PeerStats::handlerFailures);
    counter(registry, "rmb.peer.frames.resent",
        "frames offered again after the relay connection they were written to dropped",
        PeerStats::framesResent);
    counter(registry, "rmb.peer.resend.forgotten",
        "frames inside the resend window forgotten by its count or byte bound",
        PeerStats::resendForgotten);
    for (DropReason reason : DropReason.values()) {
      FunctionCounter.builder("rmb.peer.dropped", stats, s -> s.get().dropped(reason))
          .description("incoming frames and answers dropped, by reason")
          .tags(tags).tag("reason", reason.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    Gauge.builder("rmb.peer.pending.requests", stats, s -> s.get().pendingRequests())
        .description("requests with at least one destination still open")
        .tags(tags).register(registry);
    Gauge.builder("rmb.peer.relays.connected", stats, s -> s.get().relays().stream()
            .filter(r -> r.state() == RelayState.CONNECTED).count())
        .description("relay connections that are open").tags(tags).register(registry);
  }

  private void counter(MeterRegistry registry, String name, String description,
      ToDoubleFunction<PeerStats> value) {
    FunctionCounter.builder(name, stats, s -> value.applyAsDouble(s.get()))
        .description(description).tags(tags).register(registry);
  }
}
