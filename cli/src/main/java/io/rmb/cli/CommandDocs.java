package io.rmb.cli;

import io.rmb.streams.GatewayConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine;

/**
 * Writes the command reference ({@code docs/configuration.md}) from picocli's usage help of
 * {@code rmb} and every subcommand, so the documentation cannot drift from the flags (a test
 * compares them).
 *
 * <pre>{@code java -cp cli/target/rmb.jar io.rmb.cli.CommandDocs docs/configuration.md}</pre>
 */
public final class CommandDocs {
  /** Fixed width so the text does not depend on the terminal that generated it. */
  static final int WIDTH = 100;

  private CommandDocs() {}

  /** Writes the reference to {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    Files.writeString(Path.of(args[0]), markdown(), StandardCharsets.UTF_8);
  }

  /** The reference as Markdown. */
  public static String markdown() {
    CommandLine rmb = Rmb.commandLine();
    StringBuilder out = new StringBuilder("# Configuration reference\n\n")
        .append("Generated from the commands' `--help` by `io.rmb.cli.CommandDocs`; do not edit")
        .append(" by hand (`CommandDocsTest` fails when this file is stale; regenerate with\n")
        .append("`mvn -pl cli test -Dtest=CommandDocsTest -Drmb.docs.write=true`).\n\n")
        .append("Other settings:\n\n")
        .append("- the Kafka Connect connectors: [connect-config.md](connect-config.md)")
        .append(" (generated from their ConfigDefs);\n")
        .append("- the Streams gateway's `rmb.*` keys: the table at the end of this file and")
        .append(" [streams.md](streams.md);\n")
        .append("- the Redis bridge's queues and flags: [redis-bridge.md](redis-bridge.md).\n\n")
        .append("Exit codes (every command): `0` success; `1` a request failed or timed out")
        .append(" (`call`, `send`) or an unexpected error; `2` bad input (unknown flag, bad")
        .append(" value, unreadable file) with a one-line `rmb: ...` message on stderr.\n\n");
    out.append(section("rmb", rmb));
    for (Map.Entry<String, CommandLine> sub : rmb.getSubcommands().entrySet()) {
      if (!sub.getKey().equals("help")) {
        out.append(section("rmb " + sub.getKey(), sub.getValue()));
      }
    }
    out.append("## `rmb streams` / `rmb dev`: gateway settings\n\n")
        .append("Keys of `--config FILE`, or environment variables: the key upper-cased with `_`")
        .append(" for `.` (`RMB_TOPIC_REQUESTS` is `rmb.topic.requests`; flags win). Other keys")
        .append(" go to Kafka Streams (`KAFKA_BOOTSTRAP_SERVERS` is `bootstrap.servers`).\n\n| key | type | default | description |\n| --- | --- | --- | --- |\n");
    for (ConfigDef.ConfigKey key : GatewayConfig.configDef().configKeys().values()) {
      out.append("| `").append(key.name).append("` | ")
          .append(key.type.name().toLowerCase(Locale.ROOT)).append(" | ")
          .append(key.hasDefault() ? "`" + key.defaultValue + "`" : "(required)").append(" | ")
          .append(key.documentation.replace("|", "\\|").replace("\n", " ")).append(" |\n");
    }
    return out.toString();
  }

  private static String section(String title, CommandLine command) {
    command.setUsageHelpWidth(WIDTH);
    String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing();
    return "## `" + title + "`\n\n```text\n" + usage + "\n```\n\n";
  }
}
