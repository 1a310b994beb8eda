package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The root {@code docker-compose.yml} against the build output: every service has an image or
 * a build context whose Dockerfile's {@code COPY} sources exist, every bind-mounted host path
 * exists after {@code mvn package} (the connector's plugin directory, the twins file, the
 * Connect worker config), and every {@code rmb} service's command parses with today's flags.
 * An IT because it needs the packaged jar and the connector's plugin directory (the connector
 * module is built before this one). No Docker engine is needed or used. SnakeYAML comes
 * through Kafka (jackson-dataformat-yaml): declaring it test-scoped here would drop it from
 * rmb.jar, which {@code rmb dev} needs.
 */
class ComposeFileIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services() throws Exception {
    Map<String, Object> compose =
        new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    return (Map<String, Map<String, Object>>) compose.get("services");
  }

  @Test
  void everyServiceHasAnImageOrABuildContextWhoseCopiedFilesExist() throws Exception {
    assertThat(services()).containsKeys("kafka", "connect", "redis", "relay", "streams",
        "bridge", "echo");
    for (Map.Entry<String, Map<String, Object>> e : services().entrySet()) {
      Map<String, Object> service = e.getValue();
      assertThat(service.containsKey("image") || service.containsKey("build"))
          .as("service %s has neither image nor build", e.getKey()).isTrue();
      if (service.get("build") instanceof Map<?, ?> build) {
        Path context = ROOT.resolve((String) build.get("context")).normalize();
        Path dockerfile = context.resolve((String) build.get("dockerfile"));
        assertThat(dockerfile).as("Dockerfile of %s", e.getKey()).isRegularFile();
        for (String source : copySources(dockerfile)) {
          assertThat(context.resolve(source)).as("COPY %s in %s (run mvn package first)",
              source, dockerfile).exists();
        }
      }
    }
  }

  @Test
  void everyMountedHostPathExistsInTheBuildOutput() throws Exception {
    List<String> mounts = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> e : services().entrySet()) {
      Object volumes = e.getValue().get("volumes");
      if (volumes instanceof List<?> list) {
        for (Object volume : list) {
          String host = volume.toString().split(":")[0];
          if (host.startsWith(".")) {
            mounts.add(host);
            assertThat(ROOT.resolve(host).normalize())
                .as("%s mounts %s (run mvn package first)", e.getKey(), host).exists();
          }
        }
      }
    }
    assertThat(mounts).contains("./connector/target/rmb-connector-0.1.0-SNAPSHOT-plugin",
        "./docker/twins.json");
    // the plugin directory holds the connector jar, as a worker's plugin.path needs it
    assertThat(ROOT.resolve("connector/target/rmb-connector-0.1.0-SNAPSHOT-plugin"))
        .isDirectoryRecursivelyContaining("glob:**/rmb-connector-*.jar");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyRmbCommandParsesWithTheCurrentFlags() throws Exception {
    int rmbServices = 0;
    for (Map.Entry<String, Map<String, Object>> e : services().entrySet()) {
      if ("rmb:dev".equals(e.getValue().get("image"))) {
        List<String> command = (List<String>) e.getValue().get("command");
        // throws a ParameterException for an unknown flag or a missing required one
        Rmb.commandLine().parseArgs(command.toArray(String[]::new));
        rmbServices++;
      }
    }
    assertThat(rmbServices).isEqualTo(4);
  }

  private static List<String> copySources(Path dockerfile) throws Exception {
    List<String> sources = new ArrayList<>();
    for (String line : Files.readAllLines(dockerfile)) {
      String[] words = line.trim().split("\\s+");
      if (words.length >= 3 && words[0].equals("COPY")) {
        for (int i = 1; i < words.length - 1; i++) {
          if (!words[i].startsWith("--")) {
            sources.add(words[i]);
          }
        }
      }
    }
    assertThat(sources).as("COPY lines in %s", dockerfile).isNotEmpty();
    return sources;
  }
}
