package io.rmb.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's own meters; every record the gateway does not turn into an outcome, a sent
 * request or a sent reply is counted here. Thread-safe.
 *
 * <ul>
 *   <li>{@code rmb.gateway.requests{result=accepted|invalid|duplicate|expired}}</li>
 *   <li>{@code rmb.gateway.outcomes{status=response|error|timeout}} and the
 *       {@code rmb.gateway.latency} timer (request accepted to outcome written)</li>
 *   <li>{@code rmb.gateway.inflight}: destinations waiting for an outcome on this instance</li>
 *   <li>{@code rmb.gateway.dlq{topic}}: records sent to the dead-letter topic</li>
 *   <li>{@code rmb.gateway.answers.dropped{reason}}: answers for no waiting destination</li>
 *   <li>{@code rmb.gateway.replies{result}} and {@code rmb.gateway.incoming{result}}: service
 *       mode</li>
 *   <li>{@code rmb.gateway.resent}: requests handed to the peer again after a restart</li>
 * </ul>
 */
public final class GatewayMetrics {
  private final MeterRegistry registry;
  private final AtomicLong inFlight = new AtomicLong();
  private final Timer latency;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("rmb.gateway.inflight", inFlight, AtomicLong::get)
        .description("destinations waiting for an outcome").register(registry);
    this.latency = Timer.builder("rmb.gateway.latency")
        .description("from a request accepted to its outcome written")
        .publishPercentileHistogram().register(registry);
  }

  /** Meters in a private registry; for tests and tools. */
  public static GatewayMetrics standalone() {
    return new GatewayMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void request(String result) {
    count("rmb.gateway.requests", "result", result);
  }

  public void outcome(String status, Duration sinceAccepted) {
    count("rmb.gateway.outcomes", "status", status);
    latency.record(sinceAccepted.isNegative() ? Duration.ZERO : sinceAccepted);
  }

  public void inFlight(long delta) {
    inFlight.addAndGet(delta);
  }

  public long inFlight() {
    return inFlight.get();
  }

  public void deadLetter(String topic) {
    count("rmb.gateway.dlq", "topic", topic);
  }

  public void answerDropped(String reason) {
    count("rmb.gateway.answers.dropped", "reason", reason);
  }

  public void reply(String result) {
    count("rmb.gateway.replies", "result", result);
  }

  public void incoming(String result) {
    count("rmb.gateway.incoming", "result", result);
  }

  public void resent(long requests) {
    counter("rmb.gateway.resent", "result", "resent").increment(requests);
  }

  /** The current count of {@code name{tag=value}}; 0 when never counted. */
  public double counted(String name, String tag, String value) {
    Counter counter = counters.get(name + '|' + tag + '|' + value);
    return counter == null ? 0 : counter.count();
  }

  private void count(String name, String tag, String value) {
    counter(name, tag, value).increment();
  }

  private Counter counter(String name, String tag, String value) {
    return counters.computeIfAbsent(name + '|' + tag + '|' + value,
        k -> Counter.builder(name).tag(tag, value).register(registry));
  }
}
