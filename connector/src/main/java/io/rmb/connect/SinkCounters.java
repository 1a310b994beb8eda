package io.rmb.connect;

import java.util.LinkedHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

/** What a sink task did, counted: nothing is dropped without showing up here. */
final class SinkCounters {
  final LongAdder requests = new LongAdder();
  final LongAdder invalid = new LongAdder();
  final LongAdder duplicateSends = new LongAdder();
  final LongAdder repliesSent = new LongAdder();
  final LongAdder repliesFailed = new LongAdder();
  final LongAdder unmatchedAnswers = new LongAdder();
  final LongAdder pauses = new LongAdder();

  /** Metric names, in the project's Prometheus-style scheme (docs/operations.md). */
  static final String PREFIX = "rmb_connect_sink_";

  /**
   * Shows the counters in the worker's metrics (KIP-877 plugin metrics: JMX and any configured
   * reporter, tagged with the connector and task by the runtime); the runtime removes them when
   * the task stops.
   */
  void register(PluginMetrics metrics) {
    add(metrics, "requests_total", "requests taken from the topic", requests);
    add(metrics, "invalid_total", "malformed requests (errant record reporter)", invalid);
    add(metrics, "duplicate_sends_total", "requests sent again after a restart", duplicateSends);
    add(metrics, "replies_sent_total", "replies (from the replies topic) sent to callers",
        repliesSent);
    add(metrics, "replies_failed_total", "replies that could not be sent", repliesFailed);
    add(metrics, "unmatched_answers_total", "answers to no pending request", unmatchedAnswers);
    add(metrics, "pauses_total", "times the task paused its partitions (max in flight)",
        pauses);
  }

  private static void add(PluginMetrics metrics, String name, String doc, LongAdder counter) {
    metrics.addMetric(metrics.metricName(PREFIX + name, doc, new LinkedHashMap<>()),
        (Gauge<Long>) (config, now) -> counter.sum());
  }

  @Override
  public String toString() {
    return "requests=" + requests + " invalid=" + invalid + " duplicateSends=" + duplicateSends
        + " repliesSent=" + repliesSent + " repliesFailed=" + repliesFailed
        + " unmatchedAnswers=" + unmatchedAnswers + " pauses=" + pauses;
  }
}
