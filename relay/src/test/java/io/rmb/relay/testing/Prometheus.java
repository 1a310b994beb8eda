package io.rmb.relay.testing;

import java.util.HashMap;
import java.util.Map;

/** Parses Prometheus text exposition into {@code name{labels}} to value, for assertions. */
public final class Prometheus {
  private Prometheus() {}

  /** Every sample line of {@code text}, keyed by its series as written (name and labels). */
  public static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  /** The value of {@code series}; fails naming the series when it is absent. */
  public static double value(Map<String, Double> samples, String series) {
    Double value = samples.get(series);
    if (value == null) {
      throw new AssertionError("no series " + series + " in " + samples.keySet());
    }
    return value;
  }
}
