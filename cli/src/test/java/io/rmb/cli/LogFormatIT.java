package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log format of a real {@code rmb relay} in its own JVM: text by default (the layout
 * slf4j-simple printed), one JSON object a line with {@code --log-format json} or
 * {@code RMB_LOG_FORMAT=json}, and an unknown format is a clear error (exit 2).
 */
class LogFormatIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Process start(Path log, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp",
        System.getProperty("java.class.path"), "io.rmb.cli.Rmb"));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().remove(LogSetup.ENV);
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Runs a relay until it logs that it listens; returns everything it printed. */
  private String relayOutput(Map<String, String> env, String... extra) throws Exception {
    Path log = Files.createTempFile(dir, "relay-", ".log");
    Path twins = dir.resolve("twins.json");
    Files.writeString(twins, "[]");
    List<String> args = new ArrayList<>(List.of("relay", "--listen", "127.0.0.1:0",
        "--domain", "localhost", "--twins", twins.toString()));
    args.addAll(Arrays.asList(extra));
    Process relay = start(log, env, args.toArray(String[]::new));
    try {
      await().atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(log).contains("io.rmb.relay.RelayServer"));
    } finally {
      relay.destroy();
      relay.waitFor();
    }
    return Files.readString(log);
  }

  private static void assertJsonLines(String output) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.isBlank() || line.startsWith("rmb: ")) {
        continue; // the command's own status lines, not log events
      }
      JsonNode event = JSON.readTree(line); // fails on a line that is not JSON
      assertThat(event.isObject()).as(line).isTrue();
      assertThat(event.path("level").asText()).as(line).isNotEmpty();
      assertThat(event.path("loggerName").asText()).as(line).isNotEmpty();
      events.add(event);
    }
    assertThat(events).anySatisfy(event -> {
      assertThat(event.get("level").asText()).isEqualTo("INFO");
      assertThat(event.get("loggerName").asText()).isEqualTo("io.rmb.relay.RelayServer");
      assertThat(event.get("formattedMessage").asText())
          .startsWith("relay listening on /127.0.0.1:").contains("localhost");
    });
  }

  @Test
  void textByDefault() throws Exception {
    String output = relayOutput(Map.of());
    assertThat(output).containsPattern(
        "\\[main\\] INFO io\\.rmb\\.relay\\.RelayServer - relay listening on /127\\.0\\.0\\.1:");
    assertThat(output).doesNotContain("\"loggerName\"");
  }

  @Test
  void jsonWithTheGlobalFlag() throws Exception {
    assertJsonLines(relayOutput(Map.of(), "--log-format", "json"));
  }

  @Test
  void jsonWithTheEnvironment() throws Exception {
    assertJsonLines(relayOutput(Map.of(LogSetup.ENV, "json")));
  }

  @Test
  void anUnknownFormatIsAnError() throws Exception {
    Path log = Files.createTempFile(dir, "bad-", ".log");
    Process bad = start(log, Map.of(LogSetup.ENV, "xml"), "--version");
    assertThat(bad.waitFor()).isEqualTo(2);
    assertThat(Files.readString(log)).contains("unknown log format 'xml'");
    Process badFlag = start(log, Map.of(), "--log-format", "xml", "identity", "//Alice");
    assertThat(badFlag.waitFor()).isEqualTo(2);
  }
}
