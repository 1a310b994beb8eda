package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Surefire skips and failsafe selects tests by the {@code integration} tag (see relay/pom.xml),
 * so an {@code *IT} class without it would run nowhere. This keeps them honest.
 */
class IntegrationTagTest {
  @Test
  void everyItClassIsTaggedIntegration() throws IOException, URISyntaxException {
    Path root = Path.of(IntegrationTagTest.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    List<String> untagged;
    try (Stream<Path> files = Files.walk(root)) {
      untagged = files
          .map(path -> root.relativize(path).toString())
          .filter(name -> name.endsWith("IT.class"))
          .map(name -> name.substring(0, name.length() - ".class".length())
              .replace('/', '.').replace('\\', '.'))
          .filter(name -> !isTagged(name))
          .toList();
    }
    assertThat(untagged).as("*IT classes without @Tag(\"integration\")").isEmpty();
  }

  @Test
  void thereAreIntegrationTests() {
    assertThat(isTagged(RoutingIT.class.getName())).isTrue();
  }

  private static boolean isTagged(String className) {
    try {
      Tag tag = Class.forName(className).getAnnotation(Tag.class);
      return tag != null && tag.value().equals("integration");
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
