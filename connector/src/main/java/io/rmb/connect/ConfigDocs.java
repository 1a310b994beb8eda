package io.rmb.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Writes the configuration reference ({@code docs/connect-config.md}) from the connectors'
 * {@link ConfigDef}s, so the documentation cannot drift from the code (a test compares them).
 *
 * <pre>{@code java -cp ... io.rmb.connect.ConfigDocs docs/connect-config.md}</pre>
 */
public final class ConfigDocs {
  private ConfigDocs() {}

  /** The reference as Markdown. */
  public static String markdown() {
    return "# RMB Connect plugin: configuration reference\n\n"
        + "Generated from the ConfigDefs by `io.rmb.connect.ConfigDocs`; do not edit by hand"
        + " (`ConfigDocsTest` fails when this file is stale). The framework's own settings"
        + " (`topics`, `tasks.max`, converters, `errors.*`, `exactly.once.support`) are"
        + " documented by Kafka.\n\n"
        + section("RmbSinkConnector", "io.rmb.connect.RmbSinkConnector",
            RmbSinkConfig.CONFIG_DEF)
        + "\nAny producer setting of the outcome producer can be given with the `reporter.`"
        + " prefix.\n\n"
        + section("RmbSourceConnector", "io.rmb.connect.RmbSourceConnector",
            RmbSourceConfig.CONFIG_DEF);
  }

  private static String section(String title, String className, ConfigDef def) {
    StringBuilder out = new StringBuilder("## ").append(title).append("\n\n`connector.class=")
        .append(className).append("`\n\n");
    List<String> groups = def.groups();
    List<ConfigDef.ConfigKey> keys = def.configKeys().values().stream()
        .sorted(Comparator.comparingInt((ConfigDef.ConfigKey k) -> groups.indexOf(k.group))
            .thenComparingInt(k -> k.orderInGroup))
        .collect(Collectors.toList());
    String group = null;
    for (ConfigDef.ConfigKey key : keys) {
      if (!key.group.equals(group)) {
        group = key.group;
        out.append("### ").append(group).append("\n\n")
            .append("| name | type | default | valid values | importance | description |\n")
            .append("|---|---|---|---|---|---|\n");
      }
      out.append("| `").append(key.name).append("` | ").append(key.type.name().toLowerCase(java.util.Locale.ROOT))
          .append(" | ").append(defaultOf(key)).append(" | ")
          .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
          .append(key.importance.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
          .append(cell(key.documentation)).append(" |\n");
      if (keys.indexOf(key) == keys.size() - 1 || !keys.get(keys.indexOf(key) + 1).group
          .equals(group)) {
        out.append('\n');
      }
    }
    return out.toString();
  }

  private static String defaultOf(ConfigDef.ConfigKey key) {
    if (!key.hasDefault()) {
      return "(required)";
    }
    Object value = key.defaultValue;
    String text = value instanceof List<?> list ? String.join(",",
        list.stream().map(String::valueOf).toList()) : String.valueOf(value);
    return text.isEmpty() ? "\"\"" : "`" + text + "`";
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  /** Writes the reference to {@code args[0]} (default {@code docs/connect-config.md}). */
  public static void main(String[] args) throws IOException {
    Path target = Path.of(args.length > 0 ? args[0] : "docs/connect-config.md");
    Files.writeString(target, markdown(), StandardCharsets.UTF_8);
  }
}
