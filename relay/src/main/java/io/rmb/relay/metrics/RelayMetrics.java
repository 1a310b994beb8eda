package io.rmb.relay.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.rmb.relay.federation.FederationIngress;
import io.rmb.relay.http.HttpRoute;
import io.rmb.relay.http.HttpRoutes;
import io.rmb.relay.routing.RouteFailure;
import io.rmb.relay.routing.RouteOutcome;
import io.rmb.relay.stats.DropReason;
import io.rmb.relay.stats.RelayStats;
import io.rmb.relay.stats.RerouteResult;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The relay's meters on a Micrometer {@link PrometheusMeterRegistry}, served as Prometheus text
 * by {@link #route()} ({@code GET /metrics}).
 *
 * <p>Everything the relay already counts is bound as function counters and gauges over
 * {@link RelayStats} snapshots, so the hot path pays nothing extra. Names (Prometheus form):
 * {@code rmb_relay_connections}, {@code rmb_relay_connections_accepted_total},
 * {@code rmb_relay_sessions}, {@code rmb_relay_session_evictions_total} (replaced by a newer
 * connection), {@code rmb_relay_messages_total{direction}} and
 * {@code rmb_relay_bytes_total{direction}} ({@code in}/{@code out}),
 * {@code rmb_relay_routed_total{outcome}}, {@code rmb_relay_refused_total{reason}},
 * {@code rmb_relay_dropped_total{reason}}, {@code rmb_relay_queue_depth},
 * {@code rmb_relay_queue_sessions}, {@code rmb_relay_errors_sent_total},
 * {@code rmb_relay_rate_limited_total}, {@code rmb_relay_ping_timeouts_total} (clients closed
 * for not answering a keep-alive ping), {@code rmb_relay_federation_ingress_total{result}},
 * {@code rmb_relay_rerouted_total{result}} (envelopes moved from the queue of a twin that left
 * this relay to federation: {@code rerouted}, {@code expired}, {@code undecodable}),
 * {@code rmb_relay_reroute_stranded_sessions} (queued sessions whose twin is unknown or lists no
 * relay, kept);
 * the federator adds {@code rmb_relay_federation_posts_total{relay,result}},
 * {@code rmb_relay_federation_given_up_total{reason}} and {@code rmb_relay_federation_pending}.
 */
public final class RelayMetrics {
  private final PrometheusMeterRegistry registry;
  /** Function meters hold their object weakly: this keeps it (and the meters' values) alive. */
  private final Supplier<RelayStats> stats;

  private RelayMetrics(PrometheusMeterRegistry registry, Supplier<RelayStats> stats) {
    this.registry = registry;
    this.stats = stats;
  }

  /** A fresh registry with the relay's meters bound to {@code stats}. */
  public static RelayMetrics create(Supplier<RelayStats> stats, FederationIngress ingress) {
    Objects.requireNonNull(stats, "stats");
    RelayMetrics metrics =
        new RelayMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), stats);
    metrics.bind(ingress);
    return metrics;
  }

  /** The registry (the federator registers its meters here too). */
  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text of all meters. */
  public String scrape() {
    return registry.scrape();
  }

  /** {@code GET /metrics}. */
  public HttpRoute route() {
    return HttpRoute.of(HttpMethod.GET, "/metrics", request -> {
      FullHttpResponse response = HttpRoutes.text(HttpResponseStatus.OK, scrape());
      response.headers().set(HttpHeaderNames.CONTENT_TYPE,
          "text/plain; version=0.0.4; charset=utf-8");
      return CompletableFuture.completedFuture(response);
    });
  }

  private void bind(FederationIngress ingress) {
    gauge("rmb.relay.connections", "TCP connections open now", stats, RelayStats::connectionsOpen);
    counter("rmb.relay.connections.accepted", "TCP connections accepted", stats,
        RelayStats::connectionsAccepted);
    gauge("rmb.relay.sessions", "WebSocket sessions connected to this instance now", stats,
        RelayStats::sessionsOpen);
    counter("rmb.relay.sessions.opened", "WebSocket sessions opened", stats,
        RelayStats::sessionsOpened);
    counter("rmb.relay.session.evictions", "sessions closed because a newer connection took"
        + " their twin and sid", stats, RelayStats::sessionsReplaced);
    counter("rmb.relay.upgrades.rejected", "WebSocket upgrades refused", stats,
        RelayStats::upgradesRejected);
    counter("rmb.relay.protocol.closes", "connections closed for a text or undecodable frame",
        stats, RelayStats::protocolCloses);
    FunctionCounter.builder("rmb.relay.messages", stats, s -> s.get().framesIn())
        .description("envelopes received from and written to sessions").tag("direction", "in")
        .register(registry);
    FunctionCounter.builder("rmb.relay.messages", stats, s -> s.get().framesOut())
        .description("envelopes received from and written to sessions").tag("direction", "out")
        .register(registry);
    FunctionCounter.builder("rmb.relay.bytes", stats, s -> s.get().bytesIn())
        .description("envelope bytes received from and written to sessions")
        .tag("direction", "in").register(registry);
    FunctionCounter.builder("rmb.relay.bytes", stats, s -> s.get().bytesOut())
        .description("envelope bytes received from and written to sessions")
        .tag("direction", "out").register(registry);
    counter("rmb.relay.errors.sent", "relay error envelopes sent to senders", stats,
        RelayStats::errorsSent);
    counter("rmb.relay.rate.limited", "envelopes refused by the rate limiter", stats,
        RelayStats::rateLimited);
    counter("rmb.relay.ping.timeouts", "WebSocket clients closed for not answering a keep-alive"
        + " ping in time", stats, RelayStats::pingTimeouts);
    for (RouteOutcome outcome : RouteOutcome.values()) {
      FunctionCounter.builder("rmb.relay.routed", stats, s -> s.get().routed(outcome))
          .description("envelopes routed, by outcome").tag("outcome", label(outcome))
          .register(registry);
    }
    for (RouteFailure failure : RouteFailure.values()) {
      FunctionCounter.builder("rmb.relay.refused", stats, s -> s.get().refused(failure))
          .description("envelopes refused, by reason").tag("reason", label(failure))
          .register(registry);
    }
    for (DropReason reason : DropReason.values()) {
      FunctionCounter.builder("rmb.relay.dropped", stats, s -> s.get().dropped(reason))
          .description("envelopes lost without an answer, by reason").tag("reason", label(reason))
          .register(registry);
    }
    for (RerouteResult result : RerouteResult.values()) {
      FunctionCounter.builder("rmb.relay.rerouted", stats, s -> s.get().rerouted(result))
          .description("envelopes taken from the queues of twins that left this relay, by result")
          .tag("result", label(result)).register(registry);
    }
    gauge("rmb.relay.reroute.stranded.sessions", "queued sessions whose twin is unknown or lists"
        + " no relay at the last re-route sweep", stats, RelayStats::strandedSessions);
    gauge("rmb.relay.queue.depth", "envelopes in the offline queue", stats,
        RelayStats::queueDepth);
    gauge("rmb.relay.queue.sessions", "sessions with queued envelopes", stats,
        RelayStats::queuedSessions);
    if (ingress != null) {
      FunctionCounter.builder("rmb.relay.federation.ingress", ingress,
              FederationIngress::accepted)
          .description("envelopes other relays posted to us, by result")
          .tag("result", "accepted").register(registry);
      FunctionCounter.builder("rmb.relay.federation.ingress", ingress,
              FederationIngress::refused)
          .description("envelopes other relays posted to us, by result")
          .tag("result", "refused").register(registry);
      FunctionCounter.builder("rmb.relay.federation.ingress", ingress,
              FederationIngress::duplicates)
          .description("envelopes other relays posted to us, by result")
          .tag("result", "duplicate").register(registry);
    }
  }

  private void gauge(String name, String description, Supplier<RelayStats> stats,
      ToDoubleFunction<RelayStats> value) {
    Gauge.builder(name, stats, s -> value.applyAsDouble(s.get())).description(description)
        .register(registry);
  }

  private void counter(String name, String description, Supplier<RelayStats> stats,
      ToDoubleFunction<RelayStats> value) {
    FunctionCounter.builder(name, stats, s -> value.applyAsDouble(s.get()))
        .description(description).register(registry);
  }

  private static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
