package io.rmb.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;

/**
 * The shared test vectors ({@code shared/vectors/rmb-vectors.json}), read once.
 *
 * <p>The location comes from the {@code rmb.vectors} system property (set by the build); when
 * absent, the directories above the working directory are searched for
 * {@code shared/vectors/rmb-vectors.json}. A missing file fails the test: the vectors are the
 * compatibility contract, so a green run without them would prove nothing.
 */
public final class Vectors {
  private static JsonNode root;

  private Vectors() {}

  /** The parsed vector file. */
  public static synchronized JsonNode root() {
    if (root == null) {
      Path path = locate();
      try {
        root = new ObjectMapper().readTree(Files.readAllBytes(path));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read test vectors " + path, e);
      }
    }
    return root;
  }

  /** A top-level section, e.g. {@code "keys"}. */
  public static JsonNode section(String name) {
    JsonNode node = root().get(name);
    assertThat(node).as("vector section %s", name).isNotNull();
    return node;
  }

  /** The elements of an array node, for parameterised tests. */
  public static List<JsonNode> list(JsonNode array) {
    assertThat(array.isArray()).as("expected an array").isTrue();
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    assertThat(out).as("vector array must not be empty").isNotEmpty();
    return out;
  }

  /** The non-empty array at {@code path} (e.g. "signatures", "ed25519") as a stream. */
  public static java.util.stream.Stream<JsonNode> array(String... path) {
    JsonNode node = root();
    for (String name : path) {
      node = node.path(name);
    }
    if (!node.isArray() || node.size() == 0) {
      throw new AssertionError("test vectors have no entries at " + String.join(".", path));
    }
    return java.util.stream.StreamSupport.stream(node.spliterator(), false);
  }

  /** Hex field of {@code node} as bytes. */
  public static byte[] hex(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new AssertionError("vector has no hex field '" + field + "': " + node);
    }
    return Hex.decode(value.asText());
  }

  public static Path locate() {
    return locate(System.getProperty("rmb.vectors"), Paths.get("").toAbsolutePath());
  }

  /** Resolves the file from an explicit path, else by walking up from {@code start}. */
  public static Path locate(String property, Path start) {
    if (property != null && !property.isBlank()) {
      Path path = Paths.get(property).toAbsolutePath().normalize();
      if (Files.isRegularFile(path)) {
        return path;
      }
      throw new AssertionError("test vectors not found at " + path + " (rmb.vectors)");
    }
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/vectors/rmb-vectors.json");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("test vectors shared/vectors/rmb-vectors.json not found above "
        + start + "; set -Drmb.vectors=PATH");
  }
}
