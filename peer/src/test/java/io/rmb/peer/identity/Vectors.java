package io.rmb.peer.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.bouncycastle.util.encoders.Hex;

/**
 * The shared test vectors ({@code shared/vectors/rmb-vectors.json}). Found through the {@code
 * rmb.vectors} system property (surefire sets it) or by walking up from the working directory.
 * A missing file is a test failure, never a skip.
 */
final class Vectors {
  private static final String RELATIVE = "shared/vectors/rmb-vectors.json";
  private static JsonNode root;

  private Vectors() {}

  static synchronized JsonNode root() {
    if (root == null) {
      Path file = locate();
      try {
        root = new ObjectMapper().readTree(file.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot parse test vectors " + file, e);
      }
    }
    return root;
  }

  static Path locate() {
    String property = System.getProperty("rmb.vectors");
    if (property != null && !property.isBlank() && Files.isRegularFile(Paths.get(property))) {
      return Paths.get(property);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("test vectors not found: -Drmb.vectors=" + property
        + " and no " + RELATIVE + " above " + Paths.get("").toAbsolutePath());
  }

  static Stream<JsonNode> array(String... path) {
    JsonNode node = root();
    for (String name : path) {
      node = node.path(name);
    }
    if (!node.isArray() || node.size() == 0) {
      throw new AssertionError("test vectors have no entries at " + String.join(".", path));
    }
    return StreamSupport.stream(node.spliterator(), false);
  }

  static byte[] hex(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new AssertionError("vector has no hex field '" + field + "': " + node);
    }
    return Hex.decode(value.asText());
  }
}
