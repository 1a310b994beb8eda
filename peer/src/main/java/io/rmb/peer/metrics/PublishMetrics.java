package io.rmb.peer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rmb.peer.twin.PublishOutcome;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Records each {@link PublishOutcome} of a {@code TwinPublisher}: a counter per status
 * ({@code rmb_twin_publish_total{status="updated"}}) and a gauge that is 1 for the last
 * status and 0 for the others ({@code rmb_twin_publish_last{status="failed"}}), so an alert
 * can fire on a gateway whose relays or key never reached tfchain. Pass it as the publisher's
 * {@code onOutcome} (chained with any other listener).
 */
public final class PublishMetrics implements Consumer<PublishOutcome> {
  private final Map<PublishOutcome.Status, Counter> counters =
      new EnumMap<>(PublishOutcome.Status.class);
  private final AtomicReference<PublishOutcome.Status> last = new AtomicReference<>();

  public PublishMetrics(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    for (PublishOutcome.Status status : PublishOutcome.Status.values()) {
      String tag = status.name().toLowerCase(Locale.ROOT);
      counters.put(status, Counter.builder("rmb.twin.publish")
          .description("twin publish runs (relays and e2e key on tfchain), by how they ended")
          .tag("status", tag).register(registry));
      Gauge.builder("rmb.twin.publish.last", last, l -> l.get() == status ? 1 : 0)
          .description("1 for the status of the last publish run, 0 for the others")
          .tag("status", tag).register(registry);
    }
  }

  @Override
  public void accept(PublishOutcome outcome) {
    counters.get(outcome.status()).increment();
    last.set(outcome.status());
  }
}
