package io.rmb.connect;

import io.prometheus.jmx.JmxCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the Prometheus JMX exporter would scrape from this JVM's MBeans (the in-process worker
 * of EmbeddedConnectCluster) with a given rules file: the exporter's own collector, no agent.
 */
final class JmxExporterScrape {
  private JmxExporterScrape() {}

  /** Values by series, {@code name{label=value,...}}, as the text exposition names them. */
  static Map<String, Double> scrape(Path rules) throws Exception {
    Map<String, Double> values = new TreeMap<>();
    PrometheusRegistry registry = new PrometheusRegistry();
    new JmxCollector(rules.toFile()).register(registry);
    for (MetricSnapshot snapshot : registry.scrape()) {
      // the series names of the text exposition: a counter's carries the _total suffix
      String name = snapshot.getMetadata().getPrometheusName();
      if (snapshot instanceof CounterSnapshot counter) {
        for (CounterSnapshot.CounterDataPointSnapshot point : counter.getDataPoints()) {
          values.put(name + "_total" + labels(point), point.getValue());
        }
      } else if (snapshot instanceof GaugeSnapshot gauge) {
        for (GaugeSnapshot.GaugeDataPointSnapshot point : gauge.getDataPoints()) {
          values.put(name + labels(point), point.getValue());
        }
      }
    }
    return values;
  }

  static Set<String> names(Map<String, Double> scraped) {
    return scraped.keySet().stream().map(k -> k.substring(0, k.indexOf('{')))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Metric names starting with {@code prefix} in a Grafana dashboard's queries. */
  static Set<String> dashboardNames(Path dashboard, String prefix) throws IOException {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("\\b" + prefix + "[a-z0-9_]+").matcher(Files.readString(dashboard));
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  private static String labels(DataPointSnapshot point) {
    StringBuilder out = new StringBuilder("{");
    for (Label label : point.getLabels()) {
      out.append(out.length() > 1 ? "," : "").append(label.getName()).append('=')
          .append(label.getValue());
    }
    return out.append('}').toString();
  }
}
