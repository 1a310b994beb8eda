package io.rmb.bridge.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bridge's own counters, next to the peer's ({@code PeerMetrics}). Every message that is
 * not delivered as asked is counted here by reason, never dropped silently. In Prometheus
 * format: {@code rmb_bridge_rejected_total{reason="expired"}},
 * {@code rmb_bridge_dead_lettered_total{queue="msgbus.system.reply",reason="json"}},
 * {@code rmb_bridge_trimmed_total{queue="ret"}}, {@code rmb_bridge_answers_dropped_total
 * {reason="no_backlog"}}, {@code rmb_bridge_timeouts_total}, {@code rmb_bridge_in_flight}.
 */
final class BridgeMetrics {
  private final MeterRegistry registry;
  private final Tags tags;
  private final AtomicInteger inFlight = new AtomicInteger();

  BridgeMetrics(MeterRegistry registry, Tags tags) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.tags = Objects.requireNonNull(tags, "tags");
    Gauge.builder("rmb.bridge.in.flight", inFlight, AtomicInteger::get)
        .description("requests taken from msgbus.system.local and not finished")
        .tags(tags).register(registry);
  }

  AtomicInteger inFlight() {
    return inFlight;
  }

  /** A request sent to the network (first time or resent after a restart). */
  void requestSent(boolean recovered) {
    count("rmb.bridge.requests.sent", "requests taken from msgbus.system.local and sent",
        Tags.of("recovered", Boolean.toString(recovered)));
  }

  /** A malformed or expired request answered with an error on its ret. */
  void rejected(String reason) {
    count("rmb.bridge.rejected", "requests answered with an error on ret instead of sent",
        Tags.of("reason", reason));
  }

  void deadLettered(String queue, String reason) {
    count("rmb.bridge.dead.lettered", "messages moved to msgbus.system.dead",
        Tags.of("queue", queue, "reason", reason));
  }

  /** Messages that fell off the end of a queue because of its length limit. */
  void trimmed(String queue, long count) {
    if (count > 0) {
      Counter.builder("rmb.bridge.trimmed").description("old messages trimmed off full queues")
          .tags(tags).tags("queue", queue).register(registry).increment(count);
    }
  }

  void answerPushed(String kind, boolean unmatched) {
    count("rmb.bridge.answers.pushed", "responses and errors pushed to a client's ret",
        Tags.of("kind", kind, "path", unmatched ? "backlog" : "waiting"));
  }

  /** An answer not pushed: no backlog (expired), or already pushed (duplicate). */
  void answerDropped(String reason) {
    count("rmb.bridge.answers.dropped", "answers not pushed to ret, by reason",
        Tags.of("reason", reason));
  }

  /**
   * A destination that did not answer before the deadline (error 102 pushed, unless timeout
   * errors are off: then nothing, as rmb-peer).
   */
  void timeout() {
    count("rmb.bridge.timeouts", "destinations that did not answer before the deadline",
        Tags.empty());
  }

  void incomingRequest() {
    count("rmb.bridge.incoming.requests", "requests from the network pushed to msgbus.<cmd>",
        Tags.empty());
  }

  void replySent(boolean recovered) {
    count("rmb.bridge.replies.sent", "responses from msgbus.system.reply sent",
        Tags.of("recovered", Boolean.toString(recovered)));
  }

  /** Entries of a processing list handed over again after a pop whose reply was lost. */
  void orphansRecovered(String list, int count) {
    Counter.builder("rmb.bridge.orphans.recovered")
        .description("messages moved by a pop whose reply was lost, handed over again")
        .tags(tags).tags("queue", list).register(registry).increment(count);
  }

  void redisError(String operation) {
    count("rmb.bridge.redis.errors", "failed Redis operations (retried or recovered at start)",
        Tags.of("operation", operation));
  }

  private void count(String name, String description, Tags extra) {
    Counter.builder(name).description(description).tags(tags).tags(extra).register(registry)
        .increment();
  }
}
